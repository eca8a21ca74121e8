import { createExecutionContext, createScheduledController, waitOnExecutionContext } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import worker from "../../worker/src/index.js";
import { callJson, patchPolicy, seedAndSignIn, seedMethod, seedUser, setClock, STRONG_PASSWORD, uniqueName } from "./helpers.js";
import { seedDirectoryUser } from "./support/directory-sync.js";

/** Issue 15: the daily run's expiry reminders (start of the window, 3 days, 1 day), once each, and the expiries it records. */

const DAY_MS = 86_400_000;
const NEXT_PASSWORD = "Harbour-Lantern-Velvet-Orbit-57";

async function runCron(scheduledTime: number) {
  const ctx = createExecutionContext();
  await worker.scheduled!(createScheduledController({ scheduledTime, cron: "17 3 * * *" }), env, ctx);
  await waitOnExecutionContext(ctx);
}

const outbox = async (to: string) => (await callJson("GET", `/v1/dev/outbox?to=${encodeURIComponent(to)}`)).body.messages as { subject: string; body: string }[];
const auditOf = async (type: string, subjectId: string) =>
  (await env.DB.prepare("select detail from audit_events where type = ? and subject_id = ? order by seq").bind(type, subjectId).all<{ detail: string }>()).results.map((r) => JSON.parse(r.detail));

/** A native user with an active recovery email, its password changed at `changedAt`. */
async function userWithEmail(changedAt: number) {
  const user = await seedUser();
  const email = uniqueName("mail");
  await seedMethod(user.id, { type: "email", target: email });
  await env.DB.prepare("update users set password_changed_at = ? where id = ?").bind(changedAt, user.id).run();
  return { ...user, email };
}

let t0: number;
beforeAll(async () => {
  await patchPolicy({ passwordPolicy: { expiry: { days: 30, notifyDaysBefore: 14 } } });
  t0 = Date.now();
});
afterEach(() => setClock(0));

describe("expiry reminders", () => {
  it("emails at 14, 3 and 1 days before, never twice for one threshold; records the expiry once", async () => {
    const user = await userWithEmail(t0);
    await runCron(t0 + 10 * DAY_MS); // 20 days left: outside the window
    expect(await outbox(user.email)).toHaveLength(0);
    await runCron(t0 + 16.5 * DAY_MS); // 13.5 days left
    await runCron(t0 + 17 * DAY_MS);
    const first = await outbox(user.email);
    expect(first).toHaveLength(1);
    expect(first[0]!.subject).toBe("Demo Org: your password expires in 14 days");
    expect(first[0]!.body).toContain(user.username);
    await runCron(t0 + 27.5 * DAY_MS); // 2.5 days left
    await runCron(t0 + 29.5 * DAY_MS); // 0.5 days left
    await runCron(t0 + 29.6 * DAY_MS);
    expect((await outbox(user.email)).map((m) => m.subject)).toEqual([
      "Demo Org: your password expires tomorrow",
      "Demo Org: your password expires in 3 days",
      "Demo Org: your password expires in 14 days",
    ]);
    await runCron(t0 + 31 * DAY_MS);
    await runCron(t0 + 32 * DAY_MS);
    expect(await outbox(user.email)).toHaveLength(3);
    expect((await auditOf("password.expiry_reminder_sent", user.id)).map((d) => d.daysBefore)).toEqual([14, 3, 1]);
    expect(await auditOf("password.expired", user.id)).toEqual([{ expiresAt: new Date(t0 + 30 * DAY_MS).toISOString() }]);
  });

  it("a run that missed days sends only the nearest threshold", async () => {
    const user = await userWithEmail(t0);
    await runCron(t0 + 28 * DAY_MS); // 2 days left, nothing sent before
    expect((await outbox(user.email)).map((m) => m.subject)).toEqual(["Demo Org: your password expires in 2 days"]);
    expect((await auditOf("password.expiry_reminder_sent", user.id)).map((d) => d.daysBefore)).toEqual([3]);
  });

  it("concurrent runs send each threshold once", async () => {
    const users = await Promise.all(Array.from({ length: 5 }, () => userWithEmail(t0)));
    await Promise.all(Array.from({ length: 6 }, () => runCron(t0 + 16.5 * DAY_MS)));
    await Promise.all(Array.from({ length: 6 }, () => runCron(t0 + 29.5 * DAY_MS)));
    for (const user of users) {
      expect(await outbox(user.email)).toHaveLength(2);
      expect((await auditOf("password.expiry_reminder_sent", user.id)).map((d) => d.daysBefore)).toEqual([14, 1]);
    }
  });

  it("a new password starts the reminders over; never-expires, a disabled account and no expiry get none", async () => {
    const user = await userWithEmail(t0);
    await runCron(t0 + 16.5 * DAY_MS);
    expect(await outbox(user.email)).toHaveLength(1);
    await setClock(17 * 86_400);
    const signedIn = await callJson("POST", "/v1/sessions", { body: { username: user.username, password: STRONG_PASSWORD } });
    expect(signedIn.body.user.passwordExpiresAt).toBe(new Date(t0 + 30 * DAY_MS).toISOString());
    const changed = await callJson("POST", "/v1/me/password", { token: signedIn.body.token, body: { currentPassword: STRONG_PASSWORD, newPassword: NEXT_PASSWORD } });
    expect(changed.status).toBe(204);
    // Changed inside the notice window: counted as changed before expiry.
    expect(await auditOf("password.changed", user.id)).toEqual([{ beforeExpiry: true }]);
    await runCron(t0 + 30 * DAY_MS); // 17 days left on the new password
    expect(await outbox(user.email)).toHaveLength(1);
    await runCron(t0 + 34 * DAY_MS); // 13 days left
    expect(await outbox(user.email)).toHaveLength(2);

    const never = await userWithEmail(t0);
    await env.DB.prepare("update users set password_never_expires = 1 where id = ?").bind(never.id).run();
    const disabled = await userWithEmail(t0);
    await env.DB.prepare("update users set disabled = 1 where id = ?").bind(disabled.id).run();
    await runCron(t0 + 29.5 * DAY_MS);
    expect(await outbox(never.email)).toHaveLength(0);
    expect(await outbox(disabled.email)).toHaveLength(0);
  });

  it("directory users are reminded of their directory's expiry", async () => {
    const user = await seedDirectoryUser();
    const synced = (await env.DB.prepare("select password_expires_at as e from users where id = ?").bind(user.id).first<{ e: number }>())!.e;
    await runCron(synced - 2 * DAY_MS);
    const sent = await outbox(user.emailTarget);
    expect(sent.map((m) => m.subject)).toEqual(["Demo Org: your password expires in 2 days"]);
  });

  it("the reset report counts expired passwords and passwords changed before expiry", async () => {
    const admin = await seedAndSignIn({ roles: ["global_admin"] });
    const since = new Date(t0 - DAY_MS).toISOString();
    const until = new Date(t0 + 40 * DAY_MS).toISOString();
    const report = await callJson("GET", `/v1/admin/reports/resets?since=${since}&until=${until}`, { token: admin.token });
    expect(report.status).toBe(200);
    const expired = (await env.DB.prepare("select count(*) as n from audit_events where type = 'password.expired'").first<{ n: number }>())!.n;
    expect(expired).toBeGreaterThan(0);
    expect(report.body.expiry).toEqual({ expired, changedBeforeExpiry: 1 });
  });
});
