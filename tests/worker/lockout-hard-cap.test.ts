import { env } from "cloudflare:workers";
import { afterEach, describe, expect, it } from "vitest";
import { challenge, NEW_PASSWORD, registeredUser, setPassword, startReset, verify } from "./reset-client.js";
import { call, callJson, latestCode, seedAndSignIn, seedUser, setClock, uniqueName } from "./helpers.js";

/*
 * The hard cap on online guessing (NIST SP 800-63B: at most 100 consecutive failed attempts per
 * account): smart lockout lets `signInThreshold` guesses through per lock period, and a lock's end
 * does not restart the consecutive count; at 100 the name is locked with no end, until an admin
 * unlocks it or the user completes a reset. Unknown usernames are counted and locked the same way.
 */

const CAP = 100;
const THRESHOLD = 10;
/** The lock of a hard-locked name: the contract's far-future time, shown as AdminUser.lockedUntil. */
const FOREVER = "9999-12-31T23:59:59.999Z";
const HARD_RETRY_AFTER = "86400";

const signInAs = (username: string, password: string) => callJson("POST", "/v1/sessions", { body: { username, password } });
const lockoutOf = (username: string) =>
  env.DB.prepare("select failures, lock_count, locked_until, consecutive_failures from sign_in_lockouts where username = ?")
    .bind(username)
    .first<{ failures: number; lock_count: number; locked_until: number; consecutive_failures: number }>();
const lockAudits = async (username: string) =>
  (
    await env.DB.prepare("select detail from audit_events where type = 'session.locked' and json_extract(detail, '$.username') = ? order by seq")
      .bind(username)
      .all<{ detail: string }>()
  ).results.map((r) => JSON.parse(r.detail));

/** A name with `consecutive` failures behind it, after `locks` locks, the last one over. */
const seedLockout = (username: string, consecutive: number, locks = 9, failures = 0) =>
  env.DB.prepare("insert into sign_in_lockouts (username, failures, lock_count, locked_until, recent_wrong, updated_at, consecutive_failures) values (?, ?, ?, ?, '[]', ?, ?)")
    .bind(username, failures, locks, Date.now() - 1000, Date.now() - 1000, consecutive)
    .run();

/** The answer a hard-locked name gets, with what may differ between two requests (Date) left out. */
async function expectHardLocked(username: string, password: string) {
  const r = await signInAs(username, password);
  expect(r.status).toBe(429);
  expect(r.body.error.code).toBe("rate_limited");
  expect(r.res.headers.get("retry-after")).toBe(HARD_RETRY_AFTER);
  return { status: r.status, body: r.body, retryAfter: r.res.headers.get("retry-after") };
}

let clockOffset = 0;
const advance = async (seconds: number) => {
  clockOffset += seconds;
  await setClock(clockOffset);
};

afterEach(async () => {
  clockOffset = 0;
  await setClock(0);
});

describe("the hard cap on consecutive failures", { timeout: 60_000 }, () => {
  it("walks through ten lock periods: the 100th failure locks with no end, for a known and an unknown name alike", async () => {
    const known = await seedUser();
    const ghost = uniqueName("ghost");
    let lockSeconds = 60;
    for (let period = 0; period < CAP / THRESHOLD; period++) {
      const guesses = Array.from({ length: THRESHOLD }, (_, i) => `period-${period}-guess-${i}`);
      const answers = await Promise.all([known.username, ghost].flatMap((name) => guesses.map((p) => signInAs(name, p))));
      expect(answers.map((a) => a.status)).toEqual(Array(2 * THRESHOLD).fill(401));
      if (period < CAP / THRESHOLD - 1) {
        // A soft lock, as before: it ends, and the consecutive count goes on.
        expect((await signInAs(known.username, known.password)).status).toBe(429);
        expect((await lockoutOf(known.username))!.consecutive_failures).toBe((period + 1) * THRESHOLD);
        await advance(lockSeconds + 1);
        lockSeconds = Math.min(lockSeconds * 2, 3600);
      }
    }
    const [k, g] = [await expectHardLocked(known.username, known.password), await expectHardLocked(ghost, "a-guess")];
    expect(g).toEqual(k);
    for (const name of [known.username, ghost]) {
      expect(new Date((await lockoutOf(name))!.locked_until).toISOString()).toBe(FOREVER);
      const audits = await lockAudits(name);
      expect(audits).toHaveLength(CAP / THRESHOLD);
      expect(audits.at(-1)).toMatchObject({ lockedUntil: FOREVER, hardLocked: true });
      expect(audits.slice(0, -1).every((d) => d.hardLocked === false)).toBe(true);
    }
    // Waiting does not free it: a year later, still locked, the right password unchecked.
    await advance(366 * 86_400);
    const later = await call("POST", "/v1/sessions", { body: { username: known.username, password: known.password } });
    expect(later.status).toBe(429);
    expect(later.headers.get("retry-after")).toBe(HARD_RETRY_AFTER);
    expect(later.headers.get("server-timing") ?? "").not.toMatch(/kdf;/);
  });

  it("locks at the cap in the middle of a period, and a burst at the cap checks only what is left of it", async () => {
    const user = await seedUser();
    await seedLockout(user.username, CAP - 3);
    const answers = await Promise.all(Array.from({ length: 30 }, (_, i) => signInAs(user.username, `burst-${i}`)));
    const statuses = answers.map((a) => a.status);
    expect(statuses.filter((s) => s === 401)).toHaveLength(3);
    expect(statuses.filter((s) => s === 429)).toHaveLength(27);
    expect(await lockoutOf(user.username)).toMatchObject({ consecutive_failures: CAP, lock_count: 10 });
    expect(await lockAudits(user.username)).toEqual([expect.objectContaining({ lockedUntil: FOREVER, hardLocked: true })]);
    await expectHardLocked(user.username, user.password);
  });

  it("writes the hard lock at the next attempt when the 100th was counted but its worker died", async () => {
    const user = await seedUser();
    await seedLockout(user.username, CAP, 9, 4);
    await expectHardLocked(user.username, user.password);
    expect(new Date((await lockoutOf(user.username))!.locked_until).toISOString()).toBe(FOREVER);
    expect(await lockAudits(user.username)).toEqual([expect.objectContaining({ hardLocked: true })]);
  });

  it("a lock's end does not restart the count; a successful sign-in does", async () => {
    const user = await seedUser();
    await seedLockout(user.username, CAP - 2);
    expect((await signInAs(user.username, "one-wrong")).status).toBe(401);
    expect((await signInAs(user.username, user.password)).status).toBe(201);
    expect(await lockoutOf(user.username)).toBeNull();
    expect((await signInAs(user.username, "two-wrong")).status).toBe(401);
    expect((await signInAs(user.username, "three-wrong")).status).toBe(401);
    expect(await lockoutOf(user.username)).toMatchObject({ consecutive_failures: 2, locked_until: 0 });
  });

  it("refuses a password change on a hard-locked account without checking the password", async () => {
    const user = await seedAndSignIn();
    await seedLockout(user.username, CAP - 1);
    expect((await signInAs(user.username, "the-last-one")).status).toBe(401);
    const r = await call("POST", "/v1/me/password", { token: user.token, body: { currentPassword: user.password, newPassword: NEW_PASSWORD } });
    expect(r.status).toBe(429);
    expect(r.headers.get("retry-after")).toBe(HARD_RETRY_AFTER);
  });

  it("shows the hard lock to admins as a far-future lockedUntil, and an admin unlock ends it", async () => {
    const user = await seedUser();
    const admin = await seedAndSignIn({ roles: ["global_admin"] });
    await seedLockout(user.username, CAP - 1);
    expect((await signInAs(user.username, "the-last-one")).status).toBe(401);
    const shown = await callJson("GET", `/v1/admin/users/${user.id}`, { token: admin.token });
    expect(shown.status).toBe(200);
    expect(shown.body.lockedUntil).toBe(FOREVER);
    expect((await call("POST", `/v1/admin/users/${user.id}/unlock`, { token: admin.token })).status).toBe(204);
    const audit = await env.DB.prepare("select detail from audit_events where type = 'admin.unlocked' and subject_id = ?").bind(user.id).first<{ detail: string }>();
    expect(JSON.parse(audit!.detail).lockedUntil).toBe(FOREVER);
    expect((await signInAs(user.username, user.password)).status).toBe(201);
    // The count starts again from nothing.
    expect((await signInAs(user.username, "after-unlock")).status).toBe(401);
    expect((await lockoutOf(user.username))!.consecutive_failures).toBe(1);
  });

  it("a completed reset ends the hard lock", async () => {
    const u = await registeredUser();
    await seedLockout(u.username, CAP - 1);
    expect((await signInAs(u.username, "the-last-one")).status).toBe(401);
    await expectHardLocked(u.username, u.password);
    const reset = await startReset(u.username);
    expect((await challenge(reset, u.email.id)).status).toBe(202);
    expect((await verify(reset, { methodId: u.email.id, code: await latestCode(u.email.email) })).status).toBe(200);
    expect((await setPassword(reset)).status).toBe(200);
    expect(await lockoutOf(u.username)).toBeNull();
    expect((await signInAs(u.username, NEW_PASSWORD)).status).toBe(201);
  });
});
