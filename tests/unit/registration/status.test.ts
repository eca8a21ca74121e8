import { describe, expect, it } from "vitest";
import type { Method } from "../../../shared/api/users.js";
import { DEFAULT_POLICY } from "../../../shared/policy/defaults.js";
import { withAdminPolicy } from "../../../shared/policy/schema.js";
import type { PolicySettings } from "../../../shared/policy/schema.js";
import { registrationStatus } from "../../../worker/src/registration/status.js";

const NOW = Date.parse("2026-11-25T12:00:00Z");
const DAY = 86_400_000;

const method = (type: Method["type"], status: Method["status"] = "active"): Method => ({
  id: `m-${type}-${status}`,
  type,
  hint: "x",
  status,
  createdAt: "2026-01-01T00:00:00Z",
  verifiedAt: status === "active" ? "2026-01-01T00:00:00Z" : null,
});

function policy(patch: Partial<{ [K in keyof PolicySettings]: Partial<PolicySettings[K]> }> = {}) {
  const settings = structuredClone(DEFAULT_POLICY) as Record<string, unknown>;
  for (const [k, v] of Object.entries(patch)) settings[k] = typeof v === "object" && !Array.isArray(v) ? { ...(settings[k] as object), ...v } : v;
  return withAdminPolicy(settings as PolicySettings, 1, "2026-01-01T00:00:00Z");
}

const user = (o: Partial<{ roles: string[]; groups: string[]; confirmedDaysAgo: number | null; skips: number }> = {}) => ({
  roles: o.roles ?? ["user"],
  groups: o.groups ?? [],
  registrationConfirmedAt: o.confirmedDaysAgo === null ? null : NOW - (o.confirmedDaysAgo ?? 1) * DAY,
  registrationSkips: o.skips ?? 0,
});

describe("registrationStatus", () => {
  it.each([
    ["no methods", user(), [], policy(), { methodsRequired: 1, complete: false, required: true, reconfirmDue: false }],
    ["one active email", user(), [method("email")], policy(), { complete: true, required: false }],
    ["a pending email only", user(), [method("email", "pending")], policy(), { complete: false, required: true }],
    ["security questions alone, required 1", user(), [method("security_questions")], policy({ methods: { available: ["email", "security_questions"] } }), { complete: false, required: true }],
    ["required 2, two emails", user(), [method("email"), { ...method("email"), id: "m2" }], policy({ methods: { required: 2 } }), { methodsRequired: 2, complete: false }],
    ["required 2, email + questions", user(), [method("email"), method("security_questions")], policy({ methods: { required: 2, available: ["email", "security_questions"] } }), { complete: true }],
    ["a type the policy no longer offers", user(), [method("sms")], policy({ methods: { available: ["email"] } }), { complete: false }],
    ["admin with one method", user({ roles: ["password_admin"] }), [method("email")], policy(), { methodsRequired: 2, complete: false, required: true }],
    ["admin with email + questions", user({ roles: ["global_admin"] }), [method("email"), method("security_questions")], policy({ methods: { available: ["email", "security_questions"] } }), { complete: false }],
    ["admin with email + app", user({ roles: ["global_admin"] }), [method("email"), method("totp")], policy(), { complete: true }],
    ["not in a selected group", user({ groups: ["sales"] }), [], policy({ selfServiceReset: { enabledFor: "selected", groups: ["pilot"] } }), { complete: false, required: false }],
    ["in a selected group", user({ groups: ["pilot"] }), [], policy({ selfServiceReset: { enabledFor: "selected", groups: ["pilot"] } }), { required: true }],
    ["reset off for everyone", user(), [], policy({ selfServiceReset: { enabledFor: "none" } }), { required: false }],
    ["admin reset switched off", user({ roles: ["global_admin"] }), [], policy({ adminPolicy: { enabled: false } }), { required: false }],
    ["requireOnSignIn off", user(), [], policy({ registration: { requireOnSignIn: false } }), { required: false }],
    ["confirmed 181 days ago", user({ confirmedDaysAgo: 181 }), [method("email")], policy(), { complete: true, reconfirmDue: true }],
    ["confirmed 179 days ago", user({ confirmedDaysAgo: 179 }), [method("email")], policy(), { reconfirmDue: false }],
    ["never confirmed", user({ confirmedDaysAgo: null }), [method("email")], policy(), { reconfirmDue: true, lastConfirmedAt: null }],
    ["reconfirmDays 0 (never)", user({ confirmedDaysAgo: 9999 }), [method("email")], policy({ registration: { reconfirmDays: 0 } }), { reconfirmDue: false }],
    ["two skips used of three", user({ skips: 2 }), [], policy(), { skipsLeft: 1 }],
    ["more skips used than now allowed", user({ skips: 5 }), [], policy({ registration: { skipsAllowed: 3 } }), { skipsLeft: 0 }],
  ])("%s", (_name, u, methods, p, expected) => {
    expect(registrationStatus(u, methods as Method[], p, NOW)).toMatchObject(expected);
  });
});
