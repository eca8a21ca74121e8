import { useEffect, useRef, useState } from "preact/hooks";
import type { AdminUser } from "../../../../shared/api/users.js";
import { ApiFailure, call, isAbort } from "../api.js";

export interface UserFilters {
  q: string;
  group: string;
  role: string;
  /** One of REGISTRATION_FILTERS, or "" for any. */
  registration: string;
}

interface Page {
  users: AdminUser[];
  nextCursor: string | null;
}

/** Typing pauses this long before a search is sent: one request per pause, not per key. */
export const SEARCH_DEBOUNCE_MS = 250;
const PAGE_SIZE = 50;

export function usersPath(f: UserFilters, cursor: string | null): string {
  const params = new URLSearchParams({ limit: String(PAGE_SIZE) });
  if (f.q.trim()) params.set("q", f.q.trim());
  if (f.group.trim()) params.set("group", f.group.trim());
  if (f.role) params.set("role", f.role);
  if (f.registration) params.set("registration", f.registration);
  if (cursor) params.set("cursor", cursor);
  return `/v1/admin/users?${params}`;
}

/**
 * GET /v1/admin/users for the current filters: debounced, and a newer search aborts the one in
 * flight, so a slow answer to an old query never replaces the answer to the new one. "Show more"
 * follows the cursor and appends.
 */
export function useUserSearch(token: string, filters: UserFilters) {
  const [users, setUsers] = useState<AdminUser[]>([]);
  const [nextCursor, setNextCursor] = useState<string | null>(null);
  const [loading, setLoading] = useState(true);
  const [error, setError] = useState<string | null>(null);
  const inFlight = useRef<AbortController | null>(null);

  async function fetchPage(cursor: string | null): Promise<Page | null> {
    inFlight.current?.abort();
    const controller = new AbortController();
    inFlight.current = controller;
    setLoading(true);
    setError(null);
    try {
      return await call<Page>("GET", usersPath(filters, cursor), { token, signal: controller.signal });
    } catch (e) {
      if (isAbort(e)) return null;
      setError(e instanceof ApiFailure ? e.message : "The search failed. Try again.");
      return null;
    } finally {
      if (inFlight.current === controller) {
        inFlight.current = null;
        setLoading(false);
      }
    }
  }

  const key = `${filters.q}\n${filters.group}\n${filters.role}\n${filters.registration}`;
  useEffect(() => {
    setLoading(true);
    const timer = setTimeout(async () => {
      const page = await fetchPage(null);
      if (page) {
        setUsers(page.users);
        setNextCursor(page.nextCursor);
      }
    }, SEARCH_DEBOUNCE_MS);
    return () => {
      clearTimeout(timer);
      inFlight.current?.abort();
    };
  }, [key, token]);

  async function loadMore() {
    if (!nextCursor) return;
    const page = await fetchPage(nextCursor);
    if (page) {
      setUsers((prev) => [...prev, ...page.users]);
      setNextCursor(page.nextCursor);
    }
  }

  return { users, nextCursor, loading, error, loadMore };
}
