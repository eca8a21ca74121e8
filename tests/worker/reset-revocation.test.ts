import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { now } from "../../worker/src/clock.js";
import { complete } from "../../worker/src/resets/complete.js";
import { verify as verifyFlow } from "../../worker/src/resets/verify.js";
import { directDb, flowContext, loadStale } from "./stale-read.js";
import { challenge, getReset, NEW_PASSWORD, registeredUser, setPassword, startReset, userWithApp, verify } from "./reset-client.js";
import { call, callJson, latestCode, patchPolicy, seedAndSignIn, setClock, signIn, STRONG_PASSWORD, totpCode } from "./helpers.js";

// A reset in progress is revoked when an admin disables the user, sets a password or changes roles,
// and when another reset completes or the user changes the password (that batch deletes the
// unfinished resets and their codes), and refused whenever its user is disabled, no
// longer enabled by the policy, or now needs more methods than the reset started with. A revoked reset
// gets what any dead token gets: 401 `unauthorized`.


async function verifiedByEmail(username: string, email: { id: string; email: string }) {
  const reset = await startReset(username);
  expect((await challenge(reset, email.id)).status).toBe(202);
  const r = await verify(reset, { methodId: email.id, code: await latestCode(email.email) });
  expect(r.status).toBe(200);
  return reset;
}

/** What a token that matches no reset gets, byte for byte. */
async function deadAnswer(reset: any) {
  const r = await callJson("GET", `/v1/resets/${reset.resetId}`, { token: "x".repeat(43) });
  expect(r.status).toBe(401);
  return r.body;
}

async function expectDead(r: { status: number; body: any }, dead: unknown) {
  expect(r.status).toBe(401);
  expect(r.body).toEqual(dead);
}

async function passwordHashOf(userId: string) {
  return (await env.DB.prepare("select password_hash as h from users where id = ?").bind(userId).first<{ h: string }>())!.h;
}

async function resetRow(resetId: string) {
  // The questions drawn are the user's questions method's (kept across resets).
  return env.DB.prepare(
    "select r.status, r.verified_method_ids as ids, m.question_draw as draw from resets r left join recovery_methods m on m.user_id = r.user_id and m.type = 'security_questions' where r.id = ?",
  )
    .bind(resetId)
    .first<{ status: string; ids: string; draw: string | null }>();
}

async function admin() {
  return seedAndSignIn({ roles: ["global_admin"] });
}

const patchUser = (token: string, userId: string, body: unknown) => callJson("PATCH", `/v1/admin/users/${userId}`, { token, body });

describe("an admin disables the user mid-reset", () => {
  it("refuses verify and password with 401 (what a dead reset gets), changes nothing, and a re-enable does not revive the reset", async () => {
    const u = await registeredUser();
    const hashBefore = await passwordHashOf(u.id);
    const a = await admin();
    // One reset verified (ready for the password), one with an email code waiting.
    const ready = await verifiedByEmail(u.username, u.email);
    const waiting = await startReset(u.username);
    expect((await challenge(waiting, u.email.id)).status).toBe(202);
    const code = await latestCode(u.email.email);
    const dead = await deadAnswer(waiting);

    expect((await patchUser(a.token, u.id, { disabled: true })).status).toBe(200);
    await expectDead(await verify(waiting, { methodId: u.email.id, code }), dead);
    await expectDead(await setPassword(ready), dead);
    await expectDead(await getReset(ready), dead);
    await expectDead(await challenge(waiting, u.email.id), dead);
    // The admin's batch deleted the unfinished resets.
    expect(await resetRow(ready.resetId)).toBeNull();
    expect(await resetRow(waiting.resetId)).toBeNull();

    expect((await patchUser(a.token, u.id, { disabled: false })).status).toBe(200);
    await expectDead(await verify(waiting, { methodId: u.email.id, code }), dead);
    await expectDead(await setPassword(ready), dead);
    await expectDead(await setPassword(waiting), dead);
    expect(await passwordHashOf(u.id)).toBe(hashBefore);
    expect((await call("POST", "/v1/sessions", { body: { username: u.username, password: NEW_PASSWORD } })).status).toBe(401);
    expect(await signIn(u.username, STRONG_PASSWORD)).toBeTruthy();
    const completed = await env.DB.prepare("select count(*) as n from audit_events where subject_id = ? and type = 'reset.completed'").bind(u.id).first<{ n: number }>();
    expect(completed!.n).toBe(0);

    // Re-enabled, the user can start a new reset and finish it.
    const fresh = await verifiedByEmail(u.username, u.email);
    expect((await setPassword(fresh)).status).toBe(200);
  });

  it("refuses a reset whose user is disabled even when nothing deleted it, before the expiry and block answers", async () => {
    const u = await registeredUser();
    const reset = await verifiedByEmail(u.username, u.email);
    const dead = await deadAnswer(reset);
    await env.DB.prepare("update users set disabled = 1, reset_blocked_until = ? where id = ?").bind(Date.now() + 3_600_000, u.id).run();
    try {
      await expectDead(await getReset(reset), dead);
      await expectDead(await challenge(reset, u.email.id), dead);
      await expectDead(await setPassword(reset), dead);
      expect(await resetRow(reset.resetId)).toMatchObject({ status: "verified" });
    } finally {
      await env.DB.prepare("update users set disabled = 0, reset_blocked_until = null where id = ?").bind(u.id).run();
    }
    // Control: the same reset, its user enabled again by hand (no admin action deleted it), goes on.
    expect((await setPassword(reset)).status).toBe(200);
  });

  it("a disabled user's completed reset still answers 409 reset_completed", async () => {
    const u = await registeredUser();
    const reset = await verifiedByEmail(u.username, u.email);
    expect((await setPassword(reset)).status).toBe(200);
    const a = await admin();
    expect((await patchUser(a.token, u.id, { disabled: true })).status).toBe(200);
    const r = await getReset(reset);
    expect(r.status).toBe(409);
    expect(r.body.error.code).toBe("reset_completed");
  });
});

describe("the owner removes a method mid-reset", () => {
  it("ends a reset verified with it: a held code or inbox no longer sets the password", async () => {
    const u = await registeredUser({ totp: true });
    const ready = await verifiedByEmail(u.username, u.email);
    const dead = await deadAnswer(ready);
    const removed = await call("DELETE", `/v1/me/methods/${u.email.id}`, { token: u.token });
    expect(removed.status).toBe(204);
    const hashBefore = await passwordHashOf(u.id);
    await expectDead(await setPassword(ready), dead);
    expect(await resetRow(ready.resetId)).toBeNull();
    expect(await passwordHashOf(u.id)).toBe(hashBefore);
  });
});

describe("an admin sets a password mid-reset", () => {
  it("kills the reset: the admin's password stands", async () => {
    const u = await registeredUser();
    const ready = await verifiedByEmail(u.username, u.email);
    const dead = await deadAnswer(ready);
    const a = await admin();
    const set = await callJson("POST", `/v1/admin/users/${u.id}/password`, { token: a.token, body: {} });
    expect(set.status).toBe(200);
    const hashAfterAdmin = await passwordHashOf(u.id);
    await expectDead(await setPassword(ready), dead);
    await expectDead(await getReset(ready), dead);
    expect(await resetRow(ready.resetId)).toBeNull();
    expect(await passwordHashOf(u.id)).toBe(hashAfterAdmin);
    expect((await call("POST", "/v1/sessions", { body: { username: u.username, password: set.body.temporaryPassword } })).status).toBe(201);
  });

  it("leaves completed resets and other users' resets alone", async () => {
    const u = await registeredUser();
    const other = await registeredUser();
    const done = await verifiedByEmail(u.username, u.email);
    expect((await setPassword(done)).status).toBe(200);
    const othersReset = await verifiedByEmail(other.username, other.email);
    const a = await admin();
    expect((await callJson("POST", `/v1/admin/users/${u.id}/password`, { token: a.token, body: {} })).status).toBe(200);
    expect(await resetRow(done.resetId)).toMatchObject({ status: "completed" });
    expect((await setPassword(othersReset)).status).toBe(200);
  });
});

describe("roles changed mid-reset", () => {
  it("an account made admin cannot complete a reset verified with one method", async () => {
    const u = await registeredUser({ totp: true });
    const ready = await verifiedByEmail(u.username, u.email);
    expect(ready.methodsRequired).toBe(1);
    const dead = await deadAnswer(ready);
    const hashBefore = await passwordHashOf(u.id);
    const a = await admin();
    expect((await patchUser(a.token, u.id, { roles: ["password_admin"] })).status).toBe(200);
    await expectDead(await setPassword(ready), dead);
    expect(await resetRow(ready.resetId)).toBeNull();
    expect(await passwordHashOf(u.id)).toBe(hashBefore);
    // A new reset follows the admin two-gate policy.
    const fresh = await startReset(u.username);
    expect(fresh.methodsRequired).toBe(2);
  });

  it("is refused by the current roles even when nothing deleted the reset", async () => {
    const u = await registeredUser({ totp: true });
    const ready = await verifiedByEmail(u.username, u.email);
    const waiting = await startReset(u.username);
    const dead = await deadAnswer(ready);
    await env.DB.prepare(`update users set roles = '["password_admin"]' where id = ?`).bind(u.id).run();
    try {
      for (const reset of [ready, waiting]) {
        await expectDead(await getReset(reset), dead);
        await expectDead(await verify(reset, { methodId: u.totp!.id, code: await totpCode(u.totp!.secret) }), dead);
        await expectDead(await setPassword(reset), dead);
      }
    } finally {
      await env.DB.prepare(`update users set roles = '["user"]' where id = ?`).bind(u.id).run();
    }
    expect((await setPassword(ready)).status).toBe(200);
  });

  it("a policy that no longer enables the user, or that asks for more methods, ends the reset", async () => {
    const u = await registeredUser({ totp: true });
    const ready = await verifiedByEmail(u.username, u.email);
    const dead = await deadAnswer(ready);
    await patchPolicy({ selfServiceReset: { enabledFor: "selected", groups: ["pilot"] } });
    try {
      await expectDead(await setPassword(ready), dead);
    } finally {
      await patchPolicy({ selfServiceReset: { enabledFor: "all", groups: [] } });
    }
    await patchPolicy({ methods: { required: 2, available: ["email", "sms", "totp"] } });
    try {
      await expectDead(await getReset(ready), dead);
      await expectDead(await setPassword(ready), dead);
    } finally {
      await patchPolicy({ methods: { required: 1, available: ["email", "sms", "totp"] } });
    }
    expect((await setPassword(ready)).status).toBe(200);
  });
});

describe("a disable between the read and the write", () => {
  const setDisabled = (userId: string, disabled: boolean) => env.DB.prepare("update users set disabled = ? where id = ?").bind(disabled ? 1 : 0, userId).run();

  it("stops the completion in SQL with 401, and the same read completes once the user is enabled again", async () => {
    const db = directDb();
    const u = await registeredUser();
    const hashBefore = await passwordHashOf(u.id);
    const reset = await verifiedByEmail(u.username, u.email);
    const loaded = await loadStale(db, reset.resetId, u.id);
    expect(loaded.user.disabled).toBe(false);

    await setDisabled(u.id, true);
    await expect(complete({ ctx: flowContext(db), loaded, newPassword: NEW_PASSWORD, globalAdminEmails: [] })).rejects.toMatchObject({ status: 401, code: "unauthorized" });
    expect(await passwordHashOf(u.id)).toBe(hashBefore);
    expect(await resetRow(reset.resetId)).toMatchObject({ status: "verified" });
    const completed = await env.DB.prepare("select count(*) as n from audit_events where subject_id = ? and type = 'reset.completed'").bind(u.id).first<{ n: number }>();
    expect(completed!.n).toBe(0);

    // Control: the very same stale read completes once the flag is cleared by hand.
    await setDisabled(u.id, false);
    const done = await complete({ ctx: flowContext(db), loaded, newPassword: NEW_PASSWORD, globalAdminEmails: [] });
    expect(done.status).toBe("completed");
    expect(await passwordHashOf(u.id)).not.toBe(hashBefore);
  });

  it("an admin's disable (which deletes the reset) between read and write stops the completion with 401", async () => {
    const db = directDb();
    const u = await registeredUser();
    const hashBefore = await passwordHashOf(u.id);
    const reset = await verifiedByEmail(u.username, u.email);
    const loaded = await loadStale(db, reset.resetId, u.id);
    expect(loaded.user.disabled).toBe(false);
    const a = await admin();
    expect((await patchUser(a.token, u.id, { disabled: true })).status).toBe(200);
    expect((await patchUser(a.token, u.id, { disabled: false })).status).toBe(200);
    await expect(complete({ ctx: flowContext(db), loaded, newPassword: NEW_PASSWORD, globalAdminEmails: [] })).rejects.toMatchObject({ status: 401, code: "unauthorized" });
    expect(await passwordHashOf(u.id)).toBe(hashBefore);
  });

  it("stops the completion with 401 when the policy stopped letting the user reset after the read", async () => {
    const db = directDb();
    const u = await registeredUser();
    const hashBefore = await passwordHashOf(u.id);
    const reset = await verifiedByEmail(u.username, u.email);
    const loaded = await loadStale(db, reset.resetId, u.id);
    await patchPolicy({ selfServiceReset: { enabledFor: "none" } });
    try {
      await expect(complete({ ctx: flowContext(db), loaded, newPassword: NEW_PASSWORD, globalAdminEmails: [] })).rejects.toMatchObject({ status: 401, code: "unauthorized" });
      expect(await passwordHashOf(u.id)).toBe(hashBefore);
      expect(await resetRow(reset.resetId)).toMatchObject({ status: "verified" });
    } finally {
      await patchPolicy({ selfServiceReset: { enabledFor: "all" } });
    }
  });

  it("does not count a right app code once the policy stopped offering apps after the read", async () => {
    const db = directDb();
    const u = await userWithApp();
    const reset = await startReset(u.username);
    const loaded = await loadStale(db, reset.resetId, u.id);
    const code = await totpCode(u.totp.secret);
    await patchPolicy({ methods: { available: ["email", "sms"] } });
    try {
      await expect(verifyFlow({ ctx: flowContext(db), loaded, methodId: u.totp.id, code, lease: "held" })).rejects.toMatchObject({ status: 401, code: "unauthorized" });
      expect(await resetRow(reset.resetId)).toMatchObject({ status: "verifying", ids: "[]" });
    } finally {
      await patchPolicy({ methods: { available: ["email", "sms", "totp"] } });
    }
  });

  // An email or SMS code is checked in the batch that reads (verify-code.ts): no gap to race.
  it("does not count a right app code for a user disabled after the read", async () => {
    const db = directDb();
    const u = await userWithApp();
    const reset = await startReset(u.username);
    const loaded = await loadStale(db, reset.resetId, u.id);
    expect(loaded.user.disabled).toBe(false);
    const code = await totpCode(u.totp.secret);
    await setDisabled(u.id, true);
    try {
      await expect(verifyFlow({ ctx: flowContext(db), loaded, methodId: u.totp.id, code, lease: "held" })).rejects.toMatchObject({ status: 401, code: "unauthorized" });
      expect(await resetRow(reset.resetId)).toMatchObject({ status: "verifying", ids: "[]" });
    } finally {
      await setDisabled(u.id, false);
    }
  });

  it("a completion is still two D1 round trips", async () => {
    const u = await registeredUser();
    const reset = await verifiedByEmail(u.username, u.email);
    const done = await setPassword(reset);
    expect(done.status).toBe(200);
    expect(done.res.headers.get("server-timing")).toMatch(/d1;desc="2 round trips"/);
  });
});

describe("checks made in JS are one at a time per user", () => {
  it("30 wrong app codes sent at once are checked no more often than the block allows, and nothing keeps the lease", async () => {
    const u = await userWithApp();
    const reset = await startReset(u.username);
    const real = await totpCode(u.totp.secret);
    const guesses = Array.from({ length: 31 }, (_, i) => String(100_000 + i)).filter((c) => c !== real).slice(0, 30);
    const sent = await Promise.all(guesses.map((code) => verify(reset, { methodId: u.totp.id, code })));
    const checked = (await env.DB.prepare("select count(*) as n from audit_events where type = 'reset.verify_failed' and subject_id = ?").bind(u.id).first<{ n: number }>())!.n;
    // Before the lease every one was checked (30 failures counted), however early the block came.
    expect(checked).toBeLessThanOrEqual(5);
    for (const r of sent) expect([400, 409, 429]).toContain(r.status);
    expect(sent.filter((r) => r.status === 409).every((r) => r.body.error.code === "conflict")).toBe(true);
    expect((await env.DB.prepare("select count(*) as n from rate_counters where key = ?").bind(`reset-check:${u.id}`).first<{ n: number }>())!.n).toBe(0);
  });
});

describe("the one-check lease cannot be held by requests their reset refuses", () => {
  it("a token used with another reset's id, or an expired one, takes no lease, so the user's real check goes through", async () => {
    const u = await userWithApp();
    const reset = await startReset(u.username);
    const held = async () => (await env.DB.prepare("select count(*) as n from rate_counters where key = ?").bind(`reset-check:${u.id}`).first<{ n: number }>())!.n;
    const wrongId = await callJson("POST", "/v1/resets/rst_not_this_one/verify", { token: reset.resetToken, body: { methodId: u.totp.id, code: "000000" } });
    expect(wrongId.status).toBe(401);
    expect(await held()).toBe(0);
    const old = await startReset(u.username);
    await setClock(16 * 60);
    try {
      expect((await verify(old, { methodId: u.totp.id, code: "000000" })).status).toBe(410);
      expect(await held()).toBe(0);
    } finally {
      await setClock(0);
    }
    const real = await verify(reset, { methodId: u.totp.id, code: await totpCode(u.totp.secret) });
    expect(real.status).toBe(200);
  });
});

describe("a code of another length sent for an app", () => {
  it("is a wrong code (400, counted), not a check 'under way'", async () => {
    const u = await userWithApp();
    const reset = await startReset(u.username);
    const res = await verify(reset, { methodId: u.totp.id, code: "12345678" });
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe("invalid_code");
    expect(res.body.error.details[0].attemptsLeft).toBe(4);
  });
});

describe("security questions are drawn once per wrong answer", () => {
  const answers: Record<string, string> = { "first-pet": "Rex", "first-teacher": "Smith", "first-car": "Fiat Panda", "first-concert": "Blur", "childhood-street": "Elm Street" };

  async function withQuestions(fn: () => Promise<void>) {
    await patchPolicy({ methods: { required: 2, available: ["email", "sms", "totp", "security_questions"] }, securityQuestions: { numberToRegister: 5, numberToReset: 3 } });
    try {
      await fn();
    } finally {
      await patchPolicy({ methods: { required: 1, available: ["email", "sms", "totp"] }, securityQuestions: { numberToRegister: 3, numberToReset: 3 } });
    }
  }

  async function questionReset() {
    const u = await registeredUser();
    const put = await callJson("PUT", "/v1/me/security-questions", { token: u.token, body: { answers: Object.entries(answers).map(([questionId, answer]) => ({ questionId, answer })) } });
    expect(put.status).toBe(200);
    const reset = await startReset(u.username);
    const sq = reset.methods.find((m: any) => m.type === "security_questions");
    expect(sq).toBeTruthy();
    // The email first: the reset stays `verifying`, waiting for the second method.
    expect((await challenge(reset, u.email.id)).status).toBe(202);
    expect((await verify(reset, { methodId: u.email.id, code: await latestCode(u.email.email) })).body.status).toBe("verifying");
    return { u, reset, sq };
  }

  const idsOf = (r: { status: number; body: any }) => {
    expect(r.status).toBe(202);
    return (r.body.challenge.questions as { id: string }[]).map((q) => q.id);
  };

  it("asking again returns the same questions, sequentially and concurrently", async () => {
    await withQuestions(async () => {
      const { reset, sq } = await questionReset();
      const first = idsOf(await challenge(reset, sq.id));
      expect(first).toHaveLength(3);
      for (let i = 0; i < 10; i++) expect(idsOf(await challenge(reset, sq.id))).toEqual(first);
      expect(JSON.parse((await resetRow(reset.resetId))!.draw!)).toEqual(first);
      // Re-asking is no failed identity check.
      const failures = await env.DB.prepare("select count(*) as n from audit_events where type = 'reset.verify_failed' and json_extract(detail, '$.resetId') = ?").bind(reset.resetId).first<{ n: number }>();
      expect(failures!.n).toBe(0);
    });
  });

  it("a new reset asks the same questions: starting resets cannot fish for a set the asker knows", async () => {
    await withQuestions(async () => {
      const { u, reset, sq } = await questionReset();
      const first = idsOf(await challenge(reset, sq.id));
      for (let i = 0; i < 3; i++) {
        const again = await startReset(u.username);
        expect(idsOf(await challenge(again, sq.id))).toEqual(first);
      }
    });
  });

  it("concurrent first challenges all get the one stored draw", async () => {
    await withQuestions(async () => {
      const { reset, sq } = await questionReset();
      const all = await Promise.all(Array.from({ length: 10 }, () => challenge(reset, sq.id)));
      const stored = JSON.parse((await resetRow(reset.resetId))!.draw!);
      for (const r of all) expect(idsOf(r)).toEqual(stored);
    });
  });

  it("checks one answer set at a time per user: 25 sent at once cost no more checks than the block allows, and a right one among them never gets a different refusal", async () => {
    await withQuestions(async () => {
      const { u, reset, sq } = await questionReset();
      const drawn = idsOf(await challenge(reset, sq.id));
      const wrong = { methodId: sq.id, answers: drawn.map((questionId) => ({ questionId, answer: "wrong answer" })) };
      const right = { methodId: sq.id, answers: drawn.map((questionId) => ({ questionId, answer: answers[questionId]! })) };
      const sent = await Promise.all([...Array.from({ length: 24 }, () => verify(reset, wrong)), verify(reset, right)]);
      const checked = (await env.DB.prepare("select count(*) as n from audit_events where type = 'reset.verify_failed' and subject_id = ?").bind(u.id).first<{ n: number }>())!.n;
      // Before the lease, every one of them was checked (25 failures counted) however early the block came.
      expect(checked).toBeLessThanOrEqual(5);
      for (const r of sent) expect([200, 400, 409, 429]).toContain(r.status);
      expect(sent.filter((r) => r.status === 409).every((r) => r.body.error.code === "conflict")).toBe(true);
      // Nothing is left holding the lease.
      expect((await env.DB.prepare("select count(*) as n from rate_counters where key = ?").bind(`reset-check:${u.id}`).first<{ n: number }>())!.n).toBe(0);
    });
  });

  it("new answers end a reset that proved the old ones: it cannot go on to set a password", async () => {
    await withQuestions(async () => {
      const { u, reset, sq } = await questionReset();
      const drawn = idsOf(await challenge(reset, sq.id));
      const proved = await verify(reset, { methodId: sq.id, answers: drawn.map((questionId) => ({ questionId, answer: answers[questionId]! })) });
      expect(proved.body.status).toBe("verified");
      const fresh = Object.keys(answers).map((questionId, i) => ({ questionId, answer: `new answer ${i}` }));
      expect((await callJson("PUT", "/v1/me/security-questions", { token: u.token, body: { answers: fresh } })).status).toBe(200);
      expect((await setPassword(reset)).status).toBe(401);
    });
  });

  it("a wrong answer clears the draw and the next challenge draws anew; right answers pass", async () => {
    await withQuestions(async () => {
      const { reset, sq } = await questionReset();
      const first = idsOf(await challenge(reset, sq.id));
      let next = first;
      // Each wrong answer is a counted failure (3 of the 5 allowed); the chance that three fresh draws
      // of 3 of 5 questions all come out in the same order as the first is (1/60)^3.
      for (let i = 0; i < 3 && JSON.stringify(next) === JSON.stringify(first); i++) {
        const wrong = await verify(reset, { methodId: sq.id, answers: next.map((questionId) => ({ questionId, answer: "wrong answer" })) });
        expect(wrong.status).toBe(400);
        expect(wrong.body.error.code).toBe("invalid_code");
        expect((await resetRow(reset.resetId))!.draw).toBeNull();
        next = idsOf(await challenge(reset, sq.id));
      }
      expect(next).not.toEqual(first);
      // The new draw is stable in turn.
      expect(idsOf(await challenge(reset, sq.id))).toEqual(next);
      const right = await verify(reset, { methodId: sq.id, answers: next.map((questionId) => ({ questionId, answer: answers[questionId]! })) });
      expect(right.status).toBe(200);
      expect(right.body.status).toBe("verified");
      expect((await resetRow(reset.resetId))!.draw).toBeNull();
    });
  });
});

describe("a new password ends the user's other unfinished resets and their codes", () => {
  const codesOf = async (resetId: string) =>
    (await env.DB.prepare("select count(*) as n from verification_codes where flow = ?").bind(resetId).first<{ n: number }>())!.n;

  /** A reset with an email code waiting (its code row stored), and that code. */
  async function waitingWithCode(u: Awaited<ReturnType<typeof registeredUser>>) {
    const waiting = await startReset(u.username);
    expect((await challenge(waiting, u.email.id)).status).toBe(202);
    const code = await latestCode(u.email.email);
    expect(await codesOf(waiting.resetId)).toBe(1);
    return { waiting, code };
  }

  async function expectEnded(u: Awaited<ReturnType<typeof registeredUser>>, ended: { waiting: any; code: string }, dead: unknown) {
    await expectDead(await verify(ended.waiting, { methodId: u.email.id, code: ended.code }), dead);
    await expectDead(await getReset(ended.waiting), dead);
    await expectDead(await setPassword(ended.waiting, "Another-Quiet-Harbour-Lamp-57"), dead);
    expect(await resetRow(ended.waiting.resetId)).toBeNull();
    expect(await codesOf(ended.waiting.resetId)).toBe(0);
  }

  it("completing one reset ends the others (401, as a dead reset) and deletes their codes; the completed one stays", async () => {
    const u = await registeredUser();
    const other = await waitingWithCode(u);
    const ready = await verifiedByEmail(u.username, u.email);
    const dead = await deadAnswer(ready);
    expect((await setPassword(ready)).status).toBe(200);
    await expectEnded(u, other, dead);
    expect(await resetRow(ready.resetId)).toMatchObject({ status: "completed" });
    expect((await getReset(ready)).status).toBe(409);
    expect(await signIn(u.username, NEW_PASSWORD)).toBeTruthy();
  });

  it("a self-service password change ends every unfinished reset and deletes their codes", async () => {
    const u = await registeredUser();
    const other = await waitingWithCode(u);
    const ready = await verifiedByEmail(u.username, u.email);
    const dead = await deadAnswer(ready);
    const changed = await call("POST", "/v1/me/password", { token: u.token, body: { currentPassword: u.password, newPassword: NEW_PASSWORD } });
    expect(changed.status).toBe(204);
    await expectEnded(u, other, dead);
    await expectDead(await setPassword(ready), dead);
    expect(await resetRow(ready.resetId)).toBeNull();
    expect(await signIn(u.username, NEW_PASSWORD)).toBeTruthy();
  });

  it("a refused password change (wrong current password) leaves the resets alone", async () => {
    const u = await registeredUser();
    const other = await waitingWithCode(u);
    const wrong = await call("POST", "/v1/me/password", { token: u.token, body: { currentPassword: "not-the-password", newPassword: NEW_PASSWORD } });
    expect(wrong.status).toBe(400);
    expect(await codesOf(other.waiting.resetId)).toBe(1);
    expect((await verify(other.waiting, { methodId: u.email.id, code: other.code })).status).toBe(200);
  });

  it("an admin's password set deletes the unfinished resets' codes with them", async () => {
    const u = await registeredUser();
    const other = await waitingWithCode(u);
    const dead = await deadAnswer(other.waiting);
    const a = await admin();
    expect((await callJson("POST", `/v1/admin/users/${u.id}/password`, { token: a.token, body: {} })).status).toBe(200);
    await expectEnded(u, other, dead);
  });

  it("an admin's disable deletes the unfinished resets' codes with them", async () => {
    const u = await registeredUser();
    const other = await waitingWithCode(u);
    const a = await admin();
    expect((await patchUser(a.token, u.id, { disabled: true })).status).toBe(200);
    expect(await resetRow(other.waiting.resetId)).toBeNull();
    expect(await codesOf(other.waiting.resetId)).toBe(0);
  });
});
