import { useEffect, useRef, useState } from "preact/hooks";
import type { AuditEvent } from "../../../../shared/api/admin.js";
import type { AdminUser } from "../../../../shared/api/users.js";
import { ApiFailure, call, isAbort } from "../api.js";
import { type AuditFilters, auditSearch, dateProblem } from "./query.js";
import type { SentenceContext } from "./sentences.js";

interface Page {
  events: AuditEvent[];
  nextCursor: string | null;
}

const AUDIT_PAGE_SIZE = 50;
const DEBOUNCE_MS = 250;
/**
 * A reset lives 15 minutes (worker/src/resets/view.ts), so the checks that proved it lie within this
 * much time before its completion; the lookup is filtered by the reset's id as well.
 */
const RESET_LOOKBACK_MS = 20 * 60_000;

const COMPLETIONS = new Set(["reset.completed", "reset.unlocked"]);

/** The account a username filter names: an exact username, else the one account the search finds. */
async function findUser(token: string, text: string, signal: AbortSignal): Promise<AdminUser | null> {
  const { users } = await call<{ users: AdminUser[] }>("GET", `/v1/admin/users?${new URLSearchParams({ q: text.trim(), limit: "20" })}`, { token, signal });
  const wanted = text.trim().toLowerCase();
  return users.find((u) => u.username.toLowerCase() === wanted) ?? (users.length === 1 ? users[0]! : null);
}

/**
 * GET /v1/admin/audit for the filters (debounced; a newer search aborts the older), with what the
 * sentences need looked up on the same API: the names of the accounts on the page, and how each
 * completed reset was proved (its `reset.verified` events, when they are not on the page already).
 */
export function useAuditLog(token: string, filters: AuditFilters) {
  const [events, setEvents] = useState<AuditEvent[]>([]);
  const [nextCursor, setNextCursor] = useState<string | null>(null);
  const [loading, setLoading] = useState(true);
  const [error, setError] = useState<string | null>(null);
  const [userProblem, setUserProblem] = useState<string | null>(null);
  const [userId, setUserId] = useState<string | null>(null);
  const [, setLookups] = useState(0);
  const names = useRef(new Map<string, string | null>());
  const methods = useRef(new Map<string, string[]>());
  const search = useRef<AbortController | null>(null);

  const context: SentenceContext = {
    nameOf: (id) => names.current.get(id) ?? null,
    methodsOf: (resetId) => methods.current.get(resetId),
  };

  function learnFrom(page: AuditEvent[]) {
    // Newest first: walking backwards lists a reset's methods in the order they were proved.
    for (const e of [...page].reverse()) {
      const resetId = typeof e.detail.resetId === "string" ? e.detail.resetId : null;
      if (e.type === "reset.verified" && resetId && typeof e.detail.methodType === "string") {
        const list = methods.current.get(resetId) ?? [];
        if (!list.includes(e.detail.methodType)) methods.current.set(resetId, [...list, e.detail.methodType]);
      }
      if (e.type === "admin.user_deleted" && e.subjectId && typeof e.detail.displayName === "string") names.current.set(e.subjectId, e.detail.displayName);
    }
  }

  async function lookUp(page: AuditEvent[], signal: AbortSignal) {
    const ids = new Set(page.flatMap((e) => [e.actorId, e.subjectId]).filter((id): id is string => !!id && !names.current.has(id)));
    const nameLookups = [...ids].map(async (id) => {
      try {
        const user = await call<AdminUser>("GET", `/v1/admin/users/${encodeURIComponent(id)}`, { token, signal });
        names.current.set(id, user.displayName);
      } catch (e) {
        if (e instanceof ApiFailure && e.status === 404) names.current.set(id, null);
        else throw e;
      }
    });
    const unproved = page.filter((e) => COMPLETIONS.has(e.type) && e.subjectId && typeof e.detail.resetId === "string" && !methods.current.has(e.detail.resetId));
    const proofLookups = unproved.map(async (e) => {
      const at = Date.parse(e.at);
      const params = new URLSearchParams({ type: "reset.verified", userId: e.subjectId!, since: new Date(at - RESET_LOOKBACK_MS).toISOString(), until: new Date(at + 1).toISOString(), limit: "10" });
      const found = await call<Page>("GET", `/v1/admin/audit?${params}`, { token, signal });
      learnFrom(found.events.filter((v) => v.detail.resetId === e.detail.resetId));
    });
    try {
      await Promise.all([...nameLookups, ...proofLookups]);
    } catch (e) {
      // The sentences still read without names (they show the account's id instead).
      if (isAbort(e)) return;
    }
    if (!signal.aborted) setLookups((n) => n + 1);
  }

  async function fetchPage(cursor: string | null, resolvedUserId: string | null, controller: AbortController): Promise<Page | null> {
    setLoading(true);
    setError(null);
    try {
      const page = await call<Page>("GET", `/v1/admin/audit?${auditSearch(filters, resolvedUserId, cursor, AUDIT_PAGE_SIZE)}`, { token, signal: controller.signal });
      learnFrom(page.events);
      void lookUp(page.events, controller.signal);
      return page;
    } catch (e) {
      if (isAbort(e)) return null;
      setError(e instanceof ApiFailure ? e.message : "The audit log could not be loaded. Try again.");
      return null;
    } finally {
      if (search.current === controller) setLoading(false);
    }
  }

  const key = `${filters.type}\n${filters.user}\n${filters.from}\n${filters.to}`;
  useEffect(() => {
    search.current?.abort();
    const controller = new AbortController();
    search.current = controller;
    setLoading(true);
    setUserProblem(null);
    const timer = setTimeout(async () => {
      if (dateProblem(filters)) {
        setLoading(false);
        return;
      }
      let resolved: string | null = null;
      if (filters.user.trim()) {
        try {
          const user = await findUser(token, filters.user, controller.signal);
          if (!user) {
            setUserProblem("No single account matches. Type the full username.");
            setEvents([]);
            setNextCursor(null);
            setLoading(false);
            return;
          }
          resolved = user.id;
          names.current.set(user.id, user.displayName);
        } catch (e) {
          if (isAbort(e)) return;
          setError(e instanceof ApiFailure ? e.message : "The user could not be looked up. Try again.");
          setLoading(false);
          return;
        }
      }
      setUserId(resolved);
      const page = await fetchPage(null, resolved, controller);
      if (page) {
        setEvents(page.events);
        setNextCursor(page.nextCursor);
      }
    }, DEBOUNCE_MS);
    return () => {
      clearTimeout(timer);
      controller.abort();
    };
  }, [key, token]);

  async function loadMore() {
    if (!nextCursor || !search.current) return;
    const page = await fetchPage(nextCursor, userId, search.current);
    if (page) {
      setEvents((prev) => [...prev, ...page.events]);
      setNextCursor(page.nextCursor);
    }
  }

  return { events, nextCursor, loading, error, userProblem, userId, context, loadMore };
}
