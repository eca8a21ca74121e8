import { env } from "cloudflare:workers";
import { afterEach, describe, expect, it } from "vitest";
import { call, callJson, patchPolicy, seedAndSignIn, setClock, STRONG_PASSWORD } from "./helpers.js";

const NEW_PASSWORD = "Quiet-Lantern-Orbit-Meadow-9183";

const signInAs = (username: string, password: string) => call("POST", "/v1/sessions", { body: { username, password } });
const changePassword = (token: string, currentPassword: string, newPassword: string) =>
  call("POST", "/v1/me/password", { token, body: { currentPassword, newPassword } });

const passwordHashOf = async (id: string) =>
  (await env.DB.prepare("select password_hash from users where id = ?").bind(id).first<{ password_hash: string }>())!.password_hash;
const lockoutOf = (username: string) =>
  env.DB.prepare("select failures, lock_count, locked_until from sign_in_lockouts where username = ?")
    .bind(username)
    .first<{ failures: number; lock_count: number; locked_until: number }>();

/** Ten wrong sign-ins (the default threshold): the account is then locked for 60 s. */
async function lockBySignIn(username: string) {
  for (let i = 0; i < 10; i++) expect((await signInAs(username, `wrong-sign-in-${i}`)).status).toBe(401);
}

afterEach(async () => {
  await setClock(0);
});

describe("POST /v1/me/password while the account is locked", () => {
  it("answers 429 rate_limited with Retry-After, like sign-in, for a wrong and for the right current password, and changes nothing", async () => {
    const user = await seedAndSignIn();
    const hashBefore = await passwordHashOf(user.id);
    await lockBySignIn(user.username);

    const signInLocked = await signInAs(user.username, user.password);
    expect(signInLocked.status).toBe(429);
    const signInBody = await signInLocked.json<any>();
    expect(signInBody.error.code).toBe("rate_limited");
    const lockBefore = await lockoutOf(user.username);
    expect(lockBefore!.locked_until).toBeGreaterThan(Date.now());

    for (const current of ["a-wrong-guess-1", "a-wrong-guess-2", user.password]) {
      const res = await changePassword(user.token, current, NEW_PASSWORD);
      expect(res.status).toBe(429);
      expect(await res.json()).toEqual(signInBody);
      const retryAfter = Number(res.headers.get("retry-after"));
      expect(retryAfter).toBeGreaterThan(50);
      expect(retryAfter).toBeLessThanOrEqual(60);
    }

    // Nothing was verified, so nothing was counted, and the password is the old one.
    expect(await lockoutOf(user.username)).toEqual(lockBefore);
    expect(await passwordHashOf(user.id)).toBe(hashBefore);
    // The session itself is untouched (only the password change is refused).
    expect((await callJson("GET", "/v1/me", { token: user.token })).status).toBe(200);

    await setClock(61);
    expect((await signInAs(user.username, user.password)).status).toBe(201);
    expect((await signInAs(user.username, NEW_PASSWORD)).status).toBe(401);
  });

  it("gives the locked answer to a forced (must-change) session too", async () => {
    const user = await seedAndSignIn({ mustChangePassword: true });
    await lockBySignIn(user.username);
    const res = await changePassword(user.token, user.password, NEW_PASSWORD);
    expect(res.status).toBe(429);
    expect((await res.json<any>()).error.code).toBe("rate_limited");
    expect(res.headers.get("retry-after")).toMatch(/^\d+$/);
    const me = await callJson("GET", "/v1/me", { token: user.token });
    expect(me.body.user.mustChangePassword).toBe(true);
  });

  it("answers again once the lock has passed", async () => {
    const user = await seedAndSignIn();
    await lockBySignIn(user.username);
    expect((await changePassword(user.token, user.password, NEW_PASSWORD)).status).toBe(429);
    await setClock(61);
    expect((await changePassword(user.token, user.password, NEW_PASSWORD)).status).toBe(204);
    expect((await signInAs(user.username, NEW_PASSWORD)).status).toBe(201);
  });
});

describe("POST /v1/me/password counts toward the sign-in lockout", () => {
  it("locks the account after ten wrong current passwords", async () => {
    const user = await seedAndSignIn();
    for (let i = 0; i < 10; i++) {
      const res = await callJson("POST", "/v1/me/password", { token: user.token, body: { currentPassword: `wrong-current-${i}`, newPassword: NEW_PASSWORD } });
      expect(res.status).toBe(400);
      expect(res.body.error.code).toBe("invalid_current_password");
    }
    expect((await signInAs(user.username, user.password)).status).toBe(429);
    expect((await changePassword(user.token, user.password, NEW_PASSWORD)).status).toBe(429);
  });

  it("shares one count with sign-in: five wrong sign-ins and five wrong current passwords lock", async () => {
    const user = await seedAndSignIn();
    for (let i = 0; i < 5; i++) expect((await signInAs(user.username, `wrong-sign-in-${i}`)).status).toBe(401);
    for (let i = 0; i < 4; i++) expect((await changePassword(user.token, `wrong-current-${i}`, NEW_PASSWORD)).status).toBe(400);
    expect((await lockoutOf(user.username))!.failures).toBe(9);
    expect((await changePassword(user.token, "wrong-current-last", NEW_PASSWORD)).status).toBe(400);
    const locked = await changePassword(user.token, user.password, NEW_PASSWORD);
    expect(locked.status).toBe(429);
    expect(Number(locked.headers.get("retry-after"))).toBeGreaterThan(50);
    expect((await signInAs(user.username, user.password)).status).toBe(429);
  });
});

describe("POST /v1/me/password must change the password", () => {
  it("refuses a forced change to the current password with 422 history, and mustChangePassword stays true", async () => {
    const user = await seedAndSignIn({ mustChangePassword: true });
    const hashBefore = await passwordHashOf(user.id);
    const res = await callJson("POST", "/v1/me/password", { token: user.token, body: { currentPassword: user.password, newPassword: user.password } });
    expect(res.status).toBe(422);
    expect(res.body.error.code).toBe("password_policy");
    expect(res.body.error.details).toEqual([{ rule: "history", message: expect.any(String) }]);
    expect(await passwordHashOf(user.id)).toBe(hashBefore);
    const me = await callJson("GET", "/v1/me", { token: user.token });
    expect(me.body.user.mustChangePassword).toBe(true);
    // The forced session is still limited to the must-change routes.
    expect((await callJson("GET", "/v1/me/methods", { token: user.token })).status).toBe(403);
  });

  it("treats a password that differs only in Unicode compatibility form (NFKC) as the same", async () => {
    const user = await seedAndSignIn({ password: STRONG_PASSWORD, mustChangePassword: true });
    const fullWidthDigits = STRONG_PASSWORD.replace("42", "\uFF14\uFF12");
    expect(fullWidthDigits).not.toBe(STRONG_PASSWORD);
    const res = await callJson("POST", "/v1/me/password", { token: user.token, body: { currentPassword: user.password, newPassword: fullWidthDigits } });
    expect(res.status).toBe(422);
    expect(res.body.error.details.map((d: any) => d.rule)).toEqual(["history"]);
  });

  it("refuses the same password on an ordinary change too, and reports the other broken rules with it", async () => {
    const user = await seedAndSignIn({ password: "short-but-ok" });
    const res = await callJson("POST", "/v1/me/password", { token: user.token, body: { currentPassword: user.password, newPassword: user.password } });
    expect(res.status).toBe(422);
    expect(res.body.error.details.map((d: any) => d.rule).sort()).toEqual(["history", "min_length"]);
    expect((await signInAs(user.username, user.password)).status).toBe(201);
  });

  it("reports one history hit, not two, when historyCount is set", async () => {
    await patchPolicy({ passwordPolicy: { historyCount: 3 } });
    try {
      const user = await seedAndSignIn();
      const res = await callJson("POST", "/v1/me/password", { token: user.token, body: { currentPassword: user.password, newPassword: user.password } });
      expect(res.status).toBe(422);
      expect(res.body.error.details.map((d: any) => d.rule)).toEqual(["history"]);
    } finally {
      await patchPolicy({ passwordPolicy: { historyCount: 0 } });
    }
  });

  it("completes a forced change to a new password in at most 2 D1 round trips and clears mustChangePassword", async () => {
    const user = await seedAndSignIn({ mustChangePassword: true });
    const res = await changePassword(user.token, user.password, NEW_PASSWORD);
    expect(res.status).toBe(204);
    const trips = Number(/d1;desc="(\d+) round trips"/.exec(res.headers.get("server-timing") ?? "")?.[1]);
    expect(trips).toBeGreaterThanOrEqual(1);
    expect(trips).toBeLessThanOrEqual(2);
    const me = await callJson("GET", "/v1/me", { token: user.token });
    expect(me.body.user.mustChangePassword).toBe(false);
    expect((await signInAs(user.username, NEW_PASSWORD)).status).toBe(201);
    expect((await signInAs(user.username, user.password)).status).toBe(401);
  });
});
