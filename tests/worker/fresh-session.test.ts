import { env } from "cloudflare:workers";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { call, callJson, latestCode, registerEmail, patchPolicy, seedAndSignIn, setClock, totpCode, uniqueName } from "./helpers.js";

/*
 * Issue 11, item 2: a stolen session must not be enough to take over the account. Changing recovery
 * methods needs a session whose password was proved within 10 minutes (contract: Sessions).
 */

const STALE_SECONDS = 601;
const ANSWERS = [
  { questionId: "first-pet", answer: "Rex" },
  { questionId: "first-teacher", answer: "Smith" },
  { questionId: "first-car", answer: "Fiat" },
];

const reauth = (token: string, password: string) => callJson("POST", "/v1/sessions/current/reauth", { token, body: { password } });
const outbox = async (to: string) => (await callJson("GET", `/v1/dev/outbox?to=${encodeURIComponent(to)}`)).body.messages as { subject: string; body: string; code: string | null }[];
const lockoutOf = (username: string) =>
  env.DB.prepare("select failures, locked_until from sign_in_lockouts where username = ?").bind(username).first<{ failures: number; locked_until: number }>();

beforeAll(async () => {
  await patchPolicy({ methods: { available: ["email", "sms", "totp", "security_questions"] } });
});

afterEach(async () => {
  await setClock(0);
});

/** Every route that changes recovery methods, for a user with one pending email method. */
function guardedCalls(token: string, pendingId: string) {
  return [
    ["add a method", () => call("POST", "/v1/me/methods", { token, body: { type: "email", email: uniqueName("extra") } })],
    ["verify a method", () => call("POST", `/v1/me/methods/${pendingId}/verify`, { token, body: { code: "123456" } })],
    ["resend a code", () => call("POST", `/v1/me/methods/${pendingId}/resend`, { token })],
    ["delete a method", () => call("DELETE", `/v1/me/methods/${pendingId}`, { token })],
    ["replace security questions", () => call("PUT", "/v1/me/security-questions", { token, body: { answers: ANSWERS } })],
  ] as const;
}

describe("fresh sessions", () => {
  it("refuses every recovery-method change from a session older than 10 minutes with 403 reauth_required, and reauth makes it fresh again", async () => {
    const user = await seedAndSignIn();
    const email = uniqueName("pending");
    const added = await callJson("POST", "/v1/me/methods", { token: user.token, body: { type: "email", email } });
    expect(added.status).toBe(201);
    const pendingId = added.body.method.id as string;

    await setClock(STALE_SECONDS);
    for (const [what, send] of guardedCalls(user.token, pendingId)) {
      const res = await send();
      expect(res.status, what).toBe(403);
      expect((await res.json<any>()).error.code, what).toBe("reauth_required");
    }
    // Reading stays open: only changes need the password again.
    expect((await callJson("GET", "/v1/me/methods", { token: user.token })).status).toBe(200);
    expect((await callJson("GET", "/v1/me", { token: user.token })).status).toBe(200);
    const methods = await env.DB.prepare("select count(*) as n from recovery_methods where user_id = ?").bind(user.id).first<{ n: number }>();
    expect(methods!.n).toBe(1);

    const proved = await reauth(user.token, user.password);
    expect(proved.status).toBe(200);
    const freshUntil = Date.parse(proved.body.freshUntil);
    expect(freshUntil).toBeGreaterThan(Date.now() + (STALE_SECONDS + 590) * 1000);
    expect(freshUntil).toBeLessThanOrEqual(Date.now() + (STALE_SECONDS + 600) * 1000);
    expect(await env.DB.prepare("select count(*) as n from audit_events where subject_id = ? and type = 'session.reauthenticated' and outcome = 'success'").bind(user.id).first<{ n: number }>()).toEqual({ n: 1 });

    // The first code expired meanwhile (10 minutes): a new one, then the method verifies.
    expect((await call("POST", `/v1/me/methods/${pendingId}/resend`, { token: user.token })).status).toBe(202);
    expect((await callJson("POST", `/v1/me/methods/${pendingId}/verify`, { token: user.token, body: { code: await latestCode(email) } })).status).toBe(200);
    expect((await call("POST", "/v1/me/methods", { token: user.token, body: { type: "email", email: uniqueName("more") } })).status).toBe(201);
    expect((await call("PUT", "/v1/me/security-questions", { token: user.token, body: { answers: ANSWERS } })).status).toBe(200);
    expect((await call("DELETE", `/v1/me/methods/${pendingId}`, { token: user.token })).status).toBe(204);

    // Fresh for 10 minutes after the reauth, not longer.
    await setClock(STALE_SECONDS * 2);
    expect((await callJson("POST", "/v1/me/methods", { token: user.token, body: { type: "totp" } })).body.error.code).toBe("reauth_required");
  });

  it("reads freshness in the authentication batch: a stale session is refused in one D1 round trip, and a removal costs two as before", async () => {
    const user = await seedAndSignIn();
    const added = await callJson("POST", "/v1/me/methods", { token: user.token, body: { type: "totp" } });
    const roundTrips = (res: Response) => res.headers.get("server-timing")?.match(/d1;desc="(\d+) round trips"/)?.[1];
    const removed = await call("DELETE", `/v1/me/methods/${added.body.method.id}`, { token: user.token });
    expect(removed.status).toBe(204);
    expect(roundTrips(removed)).toBe("2");
    await setClock(STALE_SECONDS);
    const refused = await call("POST", "/v1/me/methods", { token: user.token, body: { type: "totp" } });
    expect(refused.status).toBe(403);
    expect(roundTrips(refused)).toBe("1");
  });

  it("declares the reauth route and reauth_required in the OpenAPI document", async () => {
    const { body } = await callJson("GET", "/v1/openapi.json");
    const reauthRoute = body.paths["/v1/sessions/current/reauth"].post;
    const schema = reauthRoute.requestBody.content["application/json"].schema;
    expect(schema.required).toEqual(["password"]);
    expect(schema.additionalProperties).toBe(false);
    expect(Object.keys(reauthRoute.responses)).toEqual(expect.arrayContaining(["200", "400", "401", "403", "429"]));
    expect(JSON.stringify(body)).toContain('"reauth_required"');
    expect(body.paths["/v1/me/methods"].post.summary).toContain("fresh session");
  });

  it("lets a session change methods for 10 minutes after sign-in", async () => {
    const user = await seedAndSignIn();
    await setClock(590);
    expect((await call("POST", "/v1/me/methods", { token: user.token, body: { type: "totp" } })).status).toBe(201);
  });

  it("answers a stale session 403 before a bad body's 400, and a missing token 401", async () => {
    const user = await seedAndSignIn();
    await setClock(STALE_SECONDS);
    const bad = await callJson("POST", "/v1/me/methods", { token: user.token, body: { type: "carrier-pigeon" } });
    expect(bad.status).toBe(403);
    expect(bad.body.error.code).toBe("reauth_required");
    expect((await call("POST", "/v1/me/methods", { body: { type: "totp" } })).status).toBe(401);
  });
});

describe("POST /v1/sessions/current/reauth", () => {
  it("checks the token first (401), then the body (400)", async () => {
    const user = await seedAndSignIn();
    expect((await call("POST", "/v1/sessions/current/reauth", { body: { password: user.password } })).status).toBe(401);
    expect((await call("POST", "/v1/sessions/current/reauth", { token: "x".repeat(43), body: { nope: 1 } })).status).toBe(401);
    for (const body of [{}, { password: "" }, { password: 42 }, { password: user.password, extra: true }]) {
      const res = await callJson("POST", "/v1/sessions/current/reauth", { token: user.token, body });
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.body.error.code).toBe("invalid_request");
      expect(JSON.stringify(res.body)).not.toContain(user.password);
    }
  });

  it("answers a wrong password 401 invalid_credentials, audits it, and counts it toward smart lockout until 429", async () => {
    const user = await seedAndSignIn();
    await setClock(STALE_SECONDS);
    for (let i = 0; i < 10; i++) {
      const res = await reauth(user.token, `wrong-guess-${i}`);
      expect(res.status).toBe(401);
      expect(res.body.error.code).toBe("invalid_credentials");
    }
    const audit = await env.DB.prepare("select count(*) as n from audit_events where subject_id = ? and type = 'session.reauthenticated' and outcome = 'failure'").bind(user.id).first<{ n: number }>();
    expect(audit!.n).toBe(10);
    expect((await lockoutOf(user.username))!.locked_until).toBeGreaterThan(Date.now());

    // Locked: not even the right password is checked, and the session stays stale.
    const locked = await reauth(user.token, user.password);
    expect(locked.status).toBe(429);
    expect(locked.body.error.code).toBe("rate_limited");
    expect(Number(locked.res.headers.get("retry-after"))).toBeGreaterThan(0);
    expect((await callJson("POST", "/v1/me/methods", { token: user.token, body: { type: "totp" } })).body.error.code).toBe("reauth_required");
    // The same count as sign-in: the name is locked there too.
    expect((await call("POST", "/v1/sessions", { body: { username: user.username, password: user.password } })).status).toBe(429);
  });

  it("gives a right password's attempt back", async () => {
    const user = await seedAndSignIn();
    expect((await reauth(user.token, "one-wrong-guess")).status).toBe(401);
    expect((await lockoutOf(user.username))!.failures).toBe(1);
    expect((await reauth(user.token, user.password)).status).toBe(200);
    expect((await lockoutOf(user.username))!.failures).toBe(1);
  });

  it("is refused to a session that must change its password first, and counts nothing", async () => {
    const user = await seedAndSignIn({ mustChangePassword: true });
    const res = await reauth(user.token, "a-guess");
    expect(res.status).toBe(403);
    expect(res.body.error.code).toBe("password_change_required");
    expect(await lockoutOf(user.username)).toBeNull();
  });
});

describe("method change notices", () => {
  it("emails the account email and every other active email when a method becomes active or is removed: masked hints, no codes", async () => {
    const user = await seedAndSignIn();
    const accountEmail = uniqueName("account");
    await env.DB.prepare("update users set email = ? where id = ?").bind(accountEmail, user.id).run();
    const first = await registerEmail(user.token);
    // The first method's own activation is news for the account email only.
    expect(await outbox(accountEmail)).toHaveLength(1);
    expect((await outbox(first.email)).filter((m) => m.code === null)).toHaveLength(0);

    const second = uniqueName("second");
    const added = await callJson("POST", "/v1/me/methods", { token: user.token, body: { type: "email", email: second } });
    // Pending: not yet a way to reset, so no notice.
    expect(await outbox(first.email)).toHaveLength(1);
    const code = await latestCode(second);
    expect((await call("POST", `/v1/me/methods/${added.body.method.id}/verify`, { token: user.token, body: { code } })).status).toBe(200);

    for (const to of [accountEmail, first.email]) {
      const [notice] = await outbox(to);
      expect(notice!.subject).toMatch(/: a recovery method was added$/);
      expect(notice!.body).toContain("If this wasn't you");
      expect(notice!.body).toContain(added.body.method.hint);
      expect(notice!.body).not.toContain(second);
      expect(notice!.body).not.toContain(second.split("@")[0]);
      expect(notice!.body).not.toContain(code);
      expect(notice!.code).toBeNull();
    }
    // The new address gets only its code: "every other" active email.
    expect((await outbox(second)).map((m) => m.code === null)).toEqual([false]);

    expect((await call("DELETE", `/v1/me/methods/${added.body.method.id}`, { token: user.token })).status).toBe(204);
    // Removed: the removed address hears of it too (an attacker would remove it to silence the owner).
    for (const to of [accountEmail, first.email, second]) {
      const [notice] = await outbox(to);
      expect(notice!.subject).toMatch(/: a recovery method was removed$/);
      expect(notice!.body).toContain(added.body.method.hint);
      expect(notice!.body).not.toContain(second);
      expect(notice!.code).toBeNull();
    }

    expect((await call("PUT", "/v1/me/security-questions", { token: user.token, body: { answers: ANSWERS } })).status).toBe(200);
    const [questions] = await outbox(first.email);
    expect(questions!.subject).toMatch(/: a recovery method was added$/);
    expect(questions!.body).toContain("A set of security questions was added as a recovery method of your");
    expect((await call("PUT", "/v1/me/security-questions", { token: user.token, body: { answers: ANSWERS } })).status).toBe(200);
    const [replaced] = await outbox(first.email);
    expect(replaced!.subject).toMatch(/: your security questions were changed$/);
    expect(replaced!.body).not.toContain("Rex");
  });

  it("sends nothing when a pending method is removed, and names an app without its label", async () => {
    const user = await seedAndSignIn();
    const first = await registerEmail(user.token);
    const pending = uniqueName("typo");
    const added = await callJson("POST", "/v1/me/methods", { token: user.token, body: { type: "email", email: pending } });
    expect((await call("DELETE", `/v1/me/methods/${added.body.method.id}`, { token: user.token })).status).toBe(204);
    expect(await outbox(first.email)).toHaveLength(1);
    expect((await outbox(pending)).every((m) => m.code !== null)).toBe(true);

    const app = await callJson("POST", "/v1/me/methods", { token: user.token, body: { type: "totp", label: "Call +1 555 0100 now" } });
    expect((await call("POST", `/v1/me/methods/${app.body.method.id}/verify`, { token: user.token, body: { code: await totpCode(app.body.secret) } })).status).toBe(200);
    const [notice] = await outbox(first.email);
    expect(notice!.body).toContain("An authenticator app was added");
    expect(notice!.body).not.toContain("555");
  });
});
