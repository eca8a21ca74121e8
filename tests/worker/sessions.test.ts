import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { call, callJson, seedAndSignIn, seedUser, signIn, STRONG_PASSWORD, uniqueName } from "./helpers.js";

describe("POST /v1/sessions", () => {
  it("signs in with a case- and width-insensitive username and returns user and registration", async () => {
    const user = await seedUser({ username: uniqueName("jane"), displayName: "Jane Doe" });
    const typed = `  ${user.username.toUpperCase()} `;
    const { status, body } = await callJson("POST", "/v1/sessions", { body: { username: typed, password: user.password } });
    expect(status).toBe(201);
    expect(body.token).toMatch(/^[a-z2-7]{52}$/);
    expect(Date.parse(body.expiresAt) - Date.now()).toBeGreaterThan(7.9 * 3600_000);
    expect(body.user).toMatchObject({ id: user.id, username: user.username, displayName: "Jane Doe", roles: ["user"], disabled: false });
    expect(body.user).not.toHaveProperty("passwordHash");
    expect(body.registration).toMatchObject({ methodsRequired: 1, methods: [], complete: false, required: true, skipsLeft: 3 });
  });

  it("stores only the SHA-256 of the token", async () => {
    const { token, id } = await seedAndSignIn();
    const rows = await env.DB.prepare("select token_hash from sessions where user_id = ?").bind(id).all<{ token_hash: string }>();
    expect(rows.results).toHaveLength(1);
    expect(rows.results[0]!.token_hash).not.toContain(token);
    expect(rows.results[0]!.token_hash).toMatch(/^[0-9a-f]{64}$/);
  });

  it("answers a wrong password, an unknown user and a disabled user identically", async () => {
    const user = await seedUser();
    const disabled = await seedUser({ disabled: true });
    const answers = await Promise.all([
      call("POST", "/v1/sessions", { body: { username: user.username, password: "wrong-password-1" } }),
      call("POST", "/v1/sessions", { body: { username: uniqueName("ghost"), password: "wrong-password-1" } }),
      call("POST", "/v1/sessions", { body: { username: disabled.username, password: disabled.password } }),
    ]);
    const bodies = await Promise.all(answers.map((r) => r.text()));
    expect(answers.map((r) => r.status)).toEqual([401, 401, 401]);
    expect(new Set(bodies).size).toBe(1);
    expect(JSON.parse(bodies[0]!).error.code).toBe("invalid_credentials");
  });

  it("signs out: the token stops working", async () => {
    const { token } = await seedAndSignIn();
    expect((await call("GET", "/v1/me", { token })).status).toBe(200);
    expect((await call("DELETE", "/v1/sessions/current", { token })).status).toBe(204);
    expect((await call("GET", "/v1/me", { token })).status).toBe(401);
  });

  it("expires sessions after 8 hours by the worker clock", async () => {
    const { token } = await seedAndSignIn();
    try {
      await callJson("POST", "/v1/dev/clock", { body: { offsetSeconds: 8 * 3600 - 60 } });
      expect((await call("GET", "/v1/me", { token })).status).toBe(200);
      await callJson("POST", "/v1/dev/clock", { body: { offsetSeconds: 8 * 3600 + 1 } });
      expect((await call("GET", "/v1/me", { token })).status).toBe(401);
    } finally {
      await callJson("POST", "/v1/dev/clock", { body: { offsetSeconds: 0 } });
    }
  });

  it("limits a must-change-password session to /v1/me and sign-out", async () => {
    const { token } = await seedAndSignIn({ mustChangePassword: true, roles: ["global_admin"] });
    const me = await callJson("GET", "/v1/me", { token });
    expect(me.status).toBe(200);
    expect(me.body.user.mustChangePassword).toBe(true);
    const policy = await callJson("GET", "/v1/admin/policy", { token });
    expect(policy.status).toBe(403);
    expect(policy.body.error.code).toBe("password_change_required");
  });

  it("re-hashes an outdated hash on sign-in", async () => {
    const user = await seedUser();
    const outdated = "$argon2id$v=19$m=32,t=1,p=1$";
    const { hashPassword } = await import("../../worker/src/crypto/password-hash.js");
    await env.DB.prepare("update users set password_hash = ? where id = ?").bind(hashPassword(user.password, { m: 32, t: 1, p: 1 }), user.id).run();
    await signIn(user.username, user.password);
    const row = await env.DB.prepare("select password_hash from users where id = ?").bind(user.id).first<{ password_hash: string }>();
    expect(row!.password_hash.startsWith(outdated)).toBe(false);
    expect(row!.password_hash).toMatch(/^\$argon2id\$v=19\$m=64,t=1,p=1\$/);
    expect(await signIn(user.username, user.password)).toBeTruthy();
  });
});

describe("smart lockout", () => {
  const wrong = (username: string, password: string) => call("POST", "/v1/sessions", { body: { username, password } });

  it("locks after 10 failures for 60 s, then doubles", async () => {
    const user = await seedUser();
    for (let i = 0; i < 10; i++) expect((await wrong(user.username, `wrong-${i}`)).status).toBe(401);
    const locked = await wrong(user.username, user.password);
    expect(locked.status).toBe(429);
    expect((await locked.json<any>()).error.code).toBe("rate_limited");
    expect(Number(locked.headers.get("retry-after"))).toBeGreaterThan(55);
    expect(Number(locked.headers.get("retry-after"))).toBeLessThanOrEqual(60);
    try {
      await callJson("POST", "/v1/dev/clock", { body: { offsetSeconds: 61 } });
      for (let i = 0; i < 10; i++) await wrong(user.username, `again-${i}`);
      const second = await wrong(user.username, user.password);
      expect(second.status).toBe(429);
      expect(Number(second.headers.get("retry-after"))).toBeGreaterThan(115);
    } finally {
      await callJson("POST", "/v1/dev/clock", { body: { offsetSeconds: 0 } });
    }
  });

  it("does not count a repeat of one of the last three wrong passwords", async () => {
    const user = await seedUser();
    for (let i = 0; i < 20; i++) await wrong(user.username, ["same-1", "same-2", "same-3"][i % 3]!);
    expect((await call("POST", "/v1/sessions", { body: { username: user.username, password: user.password } })).status).toBe(201);
  });

  it("locks an unknown username exactly like a real one", async () => {
    const ghost = uniqueName("ghost");
    for (let i = 0; i < 10; i++) expect((await wrong(ghost, `wrong-${i}`)).status).toBe(401);
    expect((await wrong(ghost, "another")).status).toBe(429);
  });

  it("counts 50 concurrent wrong guesses as 50: every one the worker checked is counted", async () => {
    const user = await seedUser();
    const answers = await Promise.all(Array.from({ length: 50 }, (_, i) => wrong(user.username, `concurrent-${i}`)));
    const checked = answers.filter((r) => r.status === 401).length;
    const refused = answers.filter((r) => r.status === 429).length;
    expect(checked + refused).toBe(50);
    // Guesses that arrive once the name is locked are refused unchecked; each checked one must count.
    const row = await env.DB.prepare("select failures, lock_count from sign_in_lockouts where username = ?").bind(user.username).first<{ failures: number; lock_count: number }>();
    expect(row!.lock_count).toBeGreaterThanOrEqual(1);
    expect(row!.lock_count * 10 + row!.failures).toBe(checked);
    const audit = await env.DB.prepare("select count(*) as n from audit_events where subject_id = ? and type = 'session.failed'").bind(user.id).first<{ n: number }>();
    expect(audit!.n).toBe(checked);
  });

  it("clears the count after a successful sign-in", async () => {
    const user = await seedUser();
    for (let i = 0; i < 9; i++) await wrong(user.username, `wrong-${i}`);
    await signIn(user.username, user.password);
    for (let i = 0; i < 9; i++) await wrong(user.username, `later-${i}`);
    expect((await call("POST", "/v1/sessions", { body: { username: user.username, password: STRONG_PASSWORD } })).status).toBe(201);
  });
});
