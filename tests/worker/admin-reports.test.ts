import { beforeAll, describe, expect, it } from "vitest";
import { callJson, seedAndSignIn, seedAudit, seedMethod, seedUser } from "./helpers.js";

/** This file's own D1 holds exactly these accounts, so the report's numbers are known. */
let token: string;

beforeAll(async () => {
  ({ token } = await seedAndSignIn({ roles: ["global_admin"] })); // an admin account without methods
  const user = (roles: string[] = ["user"], extra: { groups?: string[]; disabled?: boolean } = {}) => seedUser({ roles, ...extra });
  const u1 = await user();
  await seedMethod(u1.id, { type: "email" });
  const u2 = await user();
  await seedMethod(u2.id, { type: "sms", status: "pending" });
  const u3 = await user();
  await seedMethod(u3.id, { type: "security_questions" });
  const u4 = await user(["user"], { disabled: true });
  await seedMethod(u4.id, { type: "email" });
  const u5 = await user();
  await seedMethod(u5.id, { type: "totp" });
  await seedMethod(u5.id, { type: "email" });
  await seedMethod(u5.id, { type: "email" });
  const a1 = await user(["password_admin"]);
  await seedMethod(a1.id, { type: "email" });
  const a2 = await user(["user", "global_admin"]);
  await seedMethod(a2.id, { type: "email" });
  await seedMethod(a2.id, { type: "sms" });
  const a3 = await user(["password_admin"]);
  await seedMethod(a3.id, { type: "email" });
  await seedMethod(a3.id, { type: "security_questions" });
  const g1 = await user(["user"], { groups: ["pilot", "other"] });
  await seedMethod(g1.id, { type: "email" });
});

async function patchPolicy(body: unknown) {
  const { status } = await callJson("PATCH", "/v1/admin/policy", { token, body });
  expect(status).toBe(200);
}

async function registrationReport() {
  const { status, body } = await callJson("GET", "/v1/admin/reports/registration", { token });
  expect(status).toBe(200);
  return body;
}

/** The same numbers computed from each AdminUser's registration, to hold the SQL to registration/status.ts. */
async function fromAdminUsers() {
  const { status, body } = await callJson("GET", "/v1/admin/users?limit=1000", { token });
  expect(status).toBe(200);
  return { complete: body.users.filter((u: any) => !u.disabled && u.registration.complete).length };
}

describe("GET /v1/admin/reports/registration", () => {
  it.each([
    [
      "the default policy (all enabled, 1 of email/sms/totp; admins 2)",
      {},
      { users: 10, enabled: 9, registered: 4, partiallyRegistered: 3, unregistered: 2, byMethod: { email: 6, sms: 1, totp: 1, security_questions: 2 } },
    ],
    [
      "selected groups, SSPR off for admins",
      { selfServiceReset: { enabledFor: "selected", groups: ["pilot"] }, adminPolicy: { enabled: false } },
      { users: 10, enabled: 1, registered: 1, partiallyRegistered: 0, unregistered: 0, byMethod: { email: 1, sms: 0, totp: 0, security_questions: 0 } },
    ],
    [
      "SSPR for nobody but admins",
      { selfServiceReset: { enabledFor: "none", groups: [] }, adminPolicy: { enabled: true } },
      { users: 10, enabled: 4, registered: 1, partiallyRegistered: 2, unregistered: 1, byMethod: { email: 3, sms: 1, totp: 0, security_questions: 1 } },
    ],
    [
      "two methods required, security questions offered",
      { selfServiceReset: { enabledFor: "all" }, methods: { required: 2, available: ["email", "sms", "totp", "security_questions"] } },
      { users: 10, enabled: 9, registered: 2, partiallyRegistered: 5, unregistered: 2, byMethod: { email: 6, sms: 1, totp: 1, security_questions: 2 } },
    ],
  ])("counts under %s", async (_name, patch, expected) => {
    if (Object.keys(patch).length) await patchPolicy(patch);
    const report = await registrationReport();
    expect(report).toEqual(expected);
    if (expected.enabled === 9) expect(report.registered).toBe((await fromAdminUsers()).complete);
  });
});

describe("GET /v1/admin/reports/resets", () => {
  const START = Date.UTC(2021, 2, 1);
  const HOUR = 3_600_000;
  beforeAll(async () => {
    const at = (h: number) => START + h * HOUR;
    await seedAudit([
      ...[1, 2, 3].map((h) => ({ type: "reset.started", at: at(h), detail: { available: true } })),
      { type: "reset.started", at: at(4), outcome: "failure" as const, detail: { available: false, reason: "unknown_user" } },
      { type: "reset.started", at: at(5), outcome: "failure" as const, detail: { available: false, reason: "not_registered" } },
      ...[1, 2, 3].map((h) => ({ type: "reset.challenge_sent", at: at(h), detail: { methodType: "email" } })),
      { type: "reset.challenge_sent", at: at(6), detail: { methodType: "sms" } },
      ...[1, 2].map((h) => ({ type: "reset.verify_failed", at: at(h), outcome: "failure" as const, detail: { methodType: "email", reason: "invalid_code" } })),
      { type: "reset.verify_failed", at: at(7), outcome: "failure" as const, detail: { methodType: "sms", reason: "code_expired" } },
      { type: "reset.verify_failed", at: at(8), outcome: "failure" as const, detail: { methodType: "security_questions", reason: "invalid_answers" } },
      ...[1, 2].map((h) => ({ type: "reset.verified", at: at(h), detail: { methodType: "email" } })),
      { type: "reset.verified", at: at(9), detail: { methodType: "sms" } },
      { type: "reset.completed", at: at(10) },
      { type: "reset.blocked", at: at(11), outcome: "failure" as const, detail: { reason: "verify_failures" } },
      { type: "session.created", at: at(12) },
      // Outside the window: one just before it, one exactly at its end (until is exclusive).
      { type: "reset.started", at: START - 1, detail: { available: true } },
      { type: "reset.started", at: START + 24 * HOUR, detail: { available: true } },
    ]);
  });

  it("counts the funnel, by method and failure reason, within since ≤ at < until", async () => {
    const since = new Date(START).toISOString();
    const until = new Date(START + 24 * HOUR).toISOString();
    const { status, body } = await callJson("GET", `/v1/admin/reports/resets?since=${since}&until=${until}`, { token });
    expect(status).toBe(200);
    expect(body).toEqual({
      since,
      until,
      started: 5,
      challengesSent: 4,
      verified: 3,
      completed: 1,
      blocked: 1,
      unavailable: 2,
      byMethod: {
        email: { challengesSent: 3, verified: 2, failed: 2 },
        sms: { challengesSent: 1, verified: 1, failed: 1 },
        totp: { challengesSent: 0, verified: 0, failed: 0 },
        security_questions: { challengesSent: 0, verified: 0, failed: 1 },
      },
      failures: { invalid_code: 2, code_expired: 1, invalid_answers: 1 },
      expiry: { expired: 0, changedBeforeExpiry: 0 },
    });
  });

  it("defaults to the last 30 days", async () => {
    await seedAudit([
      { type: "reset.completed", at: Date.now() - 86_400_000 },
      { type: "reset.completed", at: Date.now() - 31 * 86_400_000 },
    ]);
    const { status, body } = await callJson("GET", "/v1/admin/reports/resets", { token });
    expect(status).toBe(200);
    expect(body.completed).toBe(1);
    expect(Date.parse(body.until) - Date.parse(body.since)).toBe(30 * 86_400_000);
  });

  it("answers a window that ends before it starts with 400", async () => {
    const { status, body } = await callJson("GET", "/v1/admin/reports/resets?since=2021-03-02T00:00:00Z&until=2021-03-01T00:00:00Z", { token });
    expect(status).toBe(400);
    expect(body.error.code).toBe("invalid_request");
  });
});
