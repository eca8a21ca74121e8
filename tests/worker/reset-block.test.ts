import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { now } from "../../worker/src/clock.js";
import { complete } from "../../worker/src/resets/complete.js";
import { verify as verifyFlow } from "../../worker/src/resets/verify.js";
import { directDb, flowContext, loadStale } from "./stale-read.js";
import { challenge, getReset, NEW_PASSWORD, setPassword, startReset, userWithApp, verify } from "./reset-client.js";
import { call, callJson, latestCode, seedAndSignIn, setClock, signIn, STRONG_PASSWORD, totpCode } from "./helpers.js";

// Contract (Resets): the failure that reaches the block limit and every call after it 429
// `reset_blocked` with `Retry-After` — on every endpoint that acts on an existing reset, whatever the
// reset's state. Only the final answers take precedence: 401 (no such reset), 409 `reset_completed`,
// 410 `reset_expired`.

const BLOCK_SECONDS = 24 * 3600; // policy default lockout.resetBlockHours


async function wrongTotp(secret: string) {
  return (await totpCode(secret)) === "000000" ? "111111" : "000000";
}

/** Five wrong app codes on `reset`: four `invalid_code`, the fifth sets the block. Returns its end. */
async function blockWithWrongCodes(reset: any, u: { id: string; totp: { id: string; secret: string } }) {
  const bad = await wrongTotp(u.totp.secret);
  for (let i = 0; i < 4; i++) expect((await verify(reset, { methodId: u.totp.id, code: bad })).body.error.code).toBe("invalid_code");
  const fifth = await verify(reset, { methodId: u.totp.id, code: bad });
  expect(fifth.status).toBe(429);
  expect(fifth.body.error.code).toBe("reset_blocked");
  const row = await env.DB.prepare("select reset_blocked_until as until from users where id = ?").bind(u.id).first<{ until: number | null }>();
  expect(row!.until).toBeGreaterThan(Date.now());
  return row!.until!;
}

function expectBlocked(r: { status: number; body: any; res: Response }, until: number) {
  expect(r.status).toBe(429);
  expect(r.body.error.code).toBe("reset_blocked");
  const retryAfter = Number(r.res.headers.get("retry-after"));
  // Seconds until the block ends: close to the whole block length, and never past the block.
  expect(retryAfter).toBeGreaterThan(BLOCK_SECONDS - 120);
  expect(retryAfter).toBeLessThanOrEqual(Math.ceil((until - Date.now()) / 1000) + 1);
  const trips = Number(/d1;desc="(\d+) round trips"/.exec(r.res.headers.get("server-timing") ?? "")?.[1]);
  expect(trips).toBeGreaterThanOrEqual(1);
  expect(trips).toBeLessThanOrEqual(2);
}

async function passwordHashOf(userId: string) {
  return (await env.DB.prepare("select password_hash as h from users where id = ?").bind(userId).first<{ h: string }>())!.h;
}

async function resetRow(resetId: string) {
  return (await env.DB.prepare("select status, verified_method_ids as ids from resets where id = ?").bind(resetId).first<{ status: string; ids: string }>())!;
}

describe("a blocked user's existing resets", () => {
  it("answers GET, challenges, verify (even with the right code) and password with 429 reset_blocked, changes nothing, and goes on after an admin unlock", async () => {
    const u = await userWithApp();
    const hashBefore = await passwordHashOf(u.id);

    // Reset A is verified (ready for the password) before the block.
    const a = await startReset(u.username);
    expect((await challenge(a, u.email.id)).status).toBe(202);
    expect((await verify(a, { methodId: u.email.id, code: await latestCode(u.email.email) })).body.status).toBe("verified");
    // Reset B has an email code waiting, then its wrong app codes block the user.
    const b = await startReset(u.username);
    expect((await challenge(b, u.email.id)).status).toBe(202);
    const emailCode = await latestCode(u.email.email);
    const until = await blockWithWrongCodes(b, u);

    for (const reset of [a, b]) {
      expectBlocked(await getReset(reset), until);
      expectBlocked(await challenge(reset, u.email.id), until);
      expectBlocked(await challenge(reset, u.totp.id), until);
      expectBlocked(await verify(reset, { methodId: u.totp.id, code: await totpCode(u.totp.secret) }), until);
      expectBlocked(await setPassword(reset), until);
    }
    expectBlocked(await verify(b, { methodId: u.email.id, code: emailCode }), until);

    // Nothing moved: same password, A still only verified, B still without a verified method.
    expect(await passwordHashOf(u.id)).toBe(hashBefore);
    expect(await resetRow(a.resetId)).toMatchObject({ status: "verified" });
    expect(await resetRow(b.resetId)).toMatchObject({ status: "verifying", ids: "[]" });
    expect((await call("POST", "/v1/sessions", { body: { username: u.username, password: NEW_PASSWORD } })).status).toBe(401);
    const completedAudits = await env.DB.prepare("select count(*) as n from audit_events where subject_id = ? and type = 'reset.completed'").bind(u.id).first<{ n: number }>();
    expect(completedAudits!.n).toBe(0);

    // An admin's unlock clears the block: the same resets work again.
    const admin = await seedAndSignIn({ roles: ["global_admin"] });
    expect((await call("POST", `/v1/admin/users/${u.id}/unlock`, { token: admin.token })).status).toBe(204);
    const got = await getReset(b);
    expect(got.status).toBe(200);
    expect(got.body).toMatchObject({ resetId: b.resetId, status: "verifying" });
    // The code the blocked verify was refused for was not spent by that refusal.
    const verifiedB = await verify(b, { methodId: u.email.id, code: emailCode });
    expect(verifiedB.status).toBe(200);
    expect(verifiedB.body.status).toBe("verified");
    const done = await setPassword(a);
    expect(done.status).toBe(200);
    expect(done.body.status).toBe("completed");
    // Spec §9: the completion, its block guard included, is still two D1 round trips; a code's
    // verification, its block guard included, one (issue 13).
    expect(done.res.headers.get("server-timing")).toMatch(/d1;desc="2 round trips"/);
    expect(verifiedB.res.headers.get("server-timing")).toMatch(/d1;desc="1 round trips"/);
    expect(await passwordHashOf(u.id)).not.toBe(hashBefore);
    expect(await signIn(u.username, NEW_PASSWORD)).toBeTruthy();
  });

  it("keeps 410 reset_expired for an expired reset and 409 reset_completed for a completed one while the block lasts", async () => {
    const u = await userWithApp();
    const completed = await startReset(u.username);
    await challenge(completed, u.email.id);
    await verify(completed, { methodId: u.email.id, code: await latestCode(u.email.email) });
    expect((await setPassword(completed)).status).toBe(200);

    const old = await startReset(u.username);
    const until = await blockWithWrongCodes(await startReset(u.username), u);

    // Completed: final, and the block (set after it) does not change that answer.
    for (const r of [await getReset(completed), await setPassword(completed, "Another-Long-Passphrase-77")]) {
      expect(r.status).toBe(409);
      expect(r.body.error.code).toBe("reset_completed");
    }
    // Still within its 15 minutes: blocked.
    expectBlocked(await getReset(old), until);
    try {
      await setClock(15 * 60 + 1);
      for (const r of [await getReset(old), await challenge(old, u.email.id), await verify(old, { methodId: u.totp.id, code: "123456" }), await setPassword(old)]) {
        expect(r.status).toBe(410);
        expect(r.body.error.code).toBe("reset_expired");
        expect(r.res.headers.get("retry-after")).toBeNull();
      }
      // The user is still blocked: starting again says so.
      const again = await callJson("POST", "/v1/resets", { body: { username: u.username } });
      expect(again.status).toBe(429);
      expect(again.body.error.code).toBe("reset_blocked");
    } finally {
      await setClock(0);
    }
  });

  it("starting a reset for a blocked user answers 429 reset_blocked, while an unknown name still gets 200 unavailable", async () => {
    const u = await userWithApp();
    const until = await blockWithWrongCodes(await startReset(u.username), u);
    const refusedStarts = () =>
      env.DB.prepare("select count(*) as n from audit_events where type = 'reset.started' and subject_id = ? and json_extract(detail, '$.refused') = 'reset_blocked'").bind(u.id).first<{ n: number }>();
    const counted = () => env.DB.prepare("select count as n from rate_counters where key = ?").bind(`reset-start:user:${u.username}`).first<{ n: number }>();
    const before = (await counted())!.n;
    expectBlocked(await callJson("POST", "/v1/resets", { body: { username: u.username } }), until);
    // The refused start is audited and counts toward the start limit like any other.
    expect((await refusedStarts())!.n).toBe(1);
    expect((await counted())!.n).toBe(before + 1);
    const unknown = await callJson("POST", "/v1/resets", { body: { username: `ghost.${u.username}` } });
    expect(unknown.status).toBe(200);
    expect(unknown.body.status).toBe("unavailable");
  });
});

describe("a block set between the read and the write", () => {
  const setBlock = (userId: string, until: number | null) => env.DB.prepare("update users set reset_blocked_until = ? where id = ?").bind(until, userId).run();

  it("stops the completion in SQL with 429 reset_blocked, and the same read completes once the block is gone", async () => {
    const db = directDb();
    const u = await userWithApp();
    const hashBefore = await passwordHashOf(u.id);
    const reset = await startReset(u.username);
    await challenge(reset, u.email.id);
    await verify(reset, { methodId: u.email.id, code: await latestCode(u.email.email) });
    const loaded = await loadStale(db, reset.resetId, u.id);
    expect(loaded.user.resetBlockedUntil ?? 0).toBeLessThan(now());

    const until = now() + 3_600_000;
    await setBlock(u.id, until);
    const refused = complete({ ctx: flowContext(db), loaded, newPassword: NEW_PASSWORD, globalAdminEmails: [] });
    await expect(refused).rejects.toMatchObject({ status: 429, code: "reset_blocked" });
    const err = await refused.catch((e) => e);
    expect(Number(err.headers["Retry-After"])).toBeGreaterThan(3500);
    expect(await passwordHashOf(u.id)).toBe(hashBefore);
    expect(await resetRow(reset.resetId)).toMatchObject({ status: "verified" });
    expect((await env.DB.prepare("select reset_blocked_until as until from users where id = ?").bind(u.id).first<{ until: number }>())!.until).toBe(until);
    expect(await signIn(u.username, STRONG_PASSWORD)).toBeTruthy();

    // Control: the very same stale read completes once the block is cleared.
    await setBlock(u.id, null);
    const done = await complete({ ctx: flowContext(db), loaded, newPassword: NEW_PASSWORD, globalAdminEmails: [] });
    expect(done.status).toBe("completed");
    expect(await passwordHashOf(u.id)).not.toBe(hashBefore);
  });

  // An email or SMS code is checked in the batch that reads (verify-code.ts): no gap to race. An app's
  // code is checked in JS between two round trips, so its write re-checks the block in SQL.
  it("does not count a right app code for a user blocked after the read", async () => {
    const db = directDb();
    const u = await userWithApp();
    const reset = await startReset(u.username);
    const loaded = await loadStale(db, reset.resetId, u.id);
    expect(loaded.user.resetBlockedUntil ?? 0).toBeLessThan(now());

    await setBlock(u.id, now() + 3_600_000);
    const refused = verifyFlow({ ctx: flowContext(db), loaded, methodId: u.totp.id, code: await totpCode(u.totp.secret), lease: "held" });
    await expect(refused).rejects.toMatchObject({ status: 429, code: "reset_blocked" });
    expect(await resetRow(reset.resetId)).toMatchObject({ status: "verifying", ids: "[]" });
  });
});
