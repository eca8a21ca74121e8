import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { AuditEvent } from "../../../shared/api/admin.js";
import { AUDIT_EVENT_TYPES } from "../../../shared/audit-events.js";
import { describeEvent, listOf, SENTENCES, type SentenceContext, TYPE_LABELS } from "../../../web/admin/src/audit/sentences.js";
// The message catalog's keys ("reset.subject") look like event types but are not.
import { en } from "../../../worker/src/i18n/messages/en.js";

const NAMES: Record<string, string> = { usr_jane: "Jane Doe", usr_ada: "Ada Admin" };
const context = (methods: Record<string, string[]> = {}): SentenceContext => ({ nameOf: (id) => NAMES[id] ?? null, methodsOf: (id) => methods[id] });

const event = (type: string, over: Partial<AuditEvent> = {}): AuditEvent => ({
  id: "1",
  at: "2026-12-07T10:00:00.000Z",
  type,
  actorId: "usr_ada",
  subjectId: "usr_jane",
  ip: null,
  outcome: "success",
  detail: {},
  ...over,
});

/** Every audit type the worker's source writes: string literals of the audit families, in TS and SQL text. */
function typesWrittenByWorker(): Set<string> {
  const found = new Set<string>();
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (path.endsWith(".ts"))
        for (const m of readFileSync(path, "utf8").matchAll(/["'`]((?:setup|session|policy|method|registration|password|reset|admin|directory)\.[a-z_]+)["'`]/g)) if (!(m[1]! in en)) found.add(m[1]!);
    }
  };
  walk(join(import.meta.dirname, "../../../worker/src"));
  return found;
}

describe("audit sentences", () => {
  it("has a sentence and a filter label for every type the worker writes", () => {
    const written = typesWrittenByWorker();
    expect(written.size).toBeGreaterThan(30);
    for (const type of new Set([...written, ...AUDIT_EVENT_TYPES])) {
      expect(Object.hasOwn(SENTENCES, type), `no sentence for ${type}`).toBe(true);
      expect(Object.hasOwn(TYPE_LABELS, type), `no label for ${type}`).toBe(true);
      // The generic fallback names the raw type; a real sentence never does.
      const text = describeEvent(event(type), context());
      expect(text, type).not.toContain(type);
      expect(text).toMatch(/^[A-Z].*\.$/);
    }
  });

  it("says how a reset was proved and where it came from", () => {
    const completed = event("reset.completed", { actorId: "usr_jane", ip: "203.0.113.7", detail: { resetId: "rst_1", notified: 1 } });
    expect(describeEvent(completed, context({ rst_1: ["email", "sms"] }))).toBe("Jane Doe reset their password with an email code and an SMS code from 203.0.113.7.");
    expect(describeEvent(completed, context())).toBe("Jane Doe reset their password from 203.0.113.7.");
  });

  it("reads the details of each kind of event", () => {
    const ctx = context();
    expect(describeEvent(event("reset.verify_failed", { actorId: null, outcome: "failure", detail: { methodType: "sms", reason: "code_expired" } }), ctx)).toBe(
      "Jane Doe entered an expired SMS code while resetting their password.",
    );
    expect(describeEvent(event("reset.started", { actorId: null, subjectId: null, outcome: "failure", detail: { available: false, reason: "unknown_user" } }), ctx)).toBe(
      "Someone asked to reset the password of a username that does not exist.",
    );
    expect(describeEvent(event("session.failed", { actorId: null, outcome: "failure", detail: { knownUser: true } }), ctx)).toBe("A sign-in as Jane Doe failed: wrong password.");
    expect(describeEvent(event("admin.user_updated", { detail: { changes: { disabled: { old: false, new: true }, roles: { old: ["user"], new: ["password_admin"] } } } }), ctx)).toBe(
      "Ada Admin disabled Jane Doe and set Jane Doe’s roles to Password admin.",
    );
    expect(describeEvent(event("policy.updated", { subjectId: null, detail: { fromVersion: 3, toVersion: 4, old: { lockout: { a: 1 }, orgName: "X" }, new: { lockout: { a: 2 }, orgName: "X" } } }), ctx)).toBe(
      "Ada Admin changed the policy: lockout (version 3 → 4).",
    );
    expect(describeEvent(event("admin.methods_cleared", { detail: { removed: 2, types: ["email", "totp"] } }), ctx)).toBe("Ada Admin cleared Jane Doe’s recovery methods (email and authenticator app).");
  });

  it("names an account it cannot look up by its id, and keeps an unknown type readable", () => {
    expect(describeEvent(event("admin.unlocked", { subjectId: "usr_gone" }), context())).toBe("Ada Admin unlocked the account usr_gone.");
    expect(describeEvent(event("future.thing", { outcome: "failure" }), context())).toBe("Future.thing (failure) by Ada Admin for Jane Doe.");
  });

  it("lists with commas and a final and", () => {
    expect(listOf([])).toBe("");
    expect(listOf(["a"])).toBe("a");
    expect(listOf(["a", "b", "c"])).toBe("a, b and c");
  });
});
