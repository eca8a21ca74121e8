import { env } from "cloudflare:workers";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { callJson, patchPolicy, seedAndSignIn, seedUser, setClock, signIn, STRONG_PASSWORD } from "./helpers.js";
import { seedDirectoryUser } from "./support/directory-sync.js";
import { connectTestAgent } from "./support/test-agent.js";
import type { TestAgent } from "./support/test-agent.js";

/** Issue 15: the expiry policy, per-user never-expires, and what an expired password's session may do. */

const DAY_S = 86_400;
const DAY_MS = DAY_S * 1000;
const NEXT_PASSWORD = "Harbour-Lantern-Velvet-Orbit-57";

let admin: { token: string };
beforeAll(async () => {
  admin = await seedAndSignIn({ roles: ["global_admin"] });
});
afterEach(() => setClock(0));

const changedAt = async (id: string) => (await env.DB.prepare("select password_changed_at as t from users where id = ?").bind(id).first<{ t: number }>())!.t;
const signInAt = (username: string, password = STRONG_PASSWORD) => callJson("POST", "/v1/sessions", { body: { username, password } });

describe("passwordPolicy.expiry", () => {
  it("defaults to never; accepts null or 14–730 days and a 1–30 day notice, refusing others with 400", async () => {
    const policy = await callJson("GET", "/v1/admin/policy", { token: admin.token });
    expect(policy.status).toBe(200);
    expect(policy.body.passwordPolicy.expiry).toEqual({ days: null, notifyDaysBefore: 14 });
    expect(policy.body.selfServiceReset.allowUnlock).toBe(true);
    for (const expiry of [{ days: 13 }, { days: 731 }, { notifyDaysBefore: 0 }, { notifyDaysBefore: 31 }, { days: 30.5 }, { other: 1 }]) {
      const res = await callJson("PATCH", "/v1/admin/policy", { token: admin.token, body: { passwordPolicy: { expiry } } });
      expect(res.status, JSON.stringify(expiry)).toBe(400);
      expect(res.body.error.code).toBe("invalid_request");
    }
    const set = await callJson("PATCH", "/v1/admin/policy", { token: admin.token, body: { passwordPolicy: { expiry: { days: 90 } } } });
    expect(set.status).toBe(200);
    expect(set.body.passwordPolicy.expiry).toEqual({ days: 90, notifyDaysBefore: 14 });
    const config = await callJson("GET", "/v1/config");
    expect(config.body.passwordPolicy.expiry).toEqual({ days: 90, notifyDaysBefore: 14 });
    const never = await callJson("PATCH", "/v1/admin/policy", { token: admin.token, body: { passwordPolicy: { expiry: { days: null } } } });
    expect(never.status).toBe(200);
    expect(never.body.passwordPolicy.expiry).toEqual({ days: null, notifyDaysBefore: 14 });
  });

  it("applies to every user at once, counted from each one's passwordChangedAt; null again means never", async () => {
    const a = await seedAndSignIn();
    const b = await seedAndSignIn();
    const before = await callJson("GET", "/v1/me", { token: a.token });
    expect(before.body.user).toMatchObject({ passwordExpiresAt: null, passwordNeverExpires: false, passwordExpired: false });
    await patchPolicy({ passwordPolicy: { expiry: { days: 60 } } });
    for (const u of [a, b]) {
      const me = await callJson("GET", "/v1/me", { token: u.token });
      expect(me.body.user.passwordExpiresAt).toBe(new Date((await changedAt(u.id)) + 60 * DAY_MS).toISOString());
    }
    const listed = await callJson("GET", `/v1/admin/users/${a.id}`, { token: admin.token });
    expect(listed.body.passwordExpiresAt).toBe(new Date((await changedAt(a.id)) + 60 * DAY_MS).toISOString());
    await patchPolicy({ passwordPolicy: { expiry: { days: null } } });
    expect((await callJson("GET", "/v1/me", { token: a.token })).body.user.passwordExpiresAt).toBeNull();
  });
});

describe("an expired password at sign-in", () => {
  beforeAll(() => patchPolicy({ passwordPolicy: { expiry: { days: 30, notifyDaysBefore: 14 } } }));
  afterAll(() => patchPolicy({ passwordPolicy: { expiry: { days: null } } }));

  it("inside the notice window: a normal session that carries passwordExpiresAt", async () => {
    const user = await seedUser();
    await setClock(20 * DAY_S);
    const res = await signInAt(user.username);
    expect(res.status).toBe(201);
    expect(res.body.user).toMatchObject({ passwordExpired: false, mustChangePassword: false, passwordExpiresAt: new Date((await changedAt(user.id)) + 30 * DAY_MS).toISOString() });
    expect((await callJson("GET", "/v1/me/methods", { token: res.body.token })).status).toBe(200);
  });

  it("past expiry: signs in with passwordExpired, may only change the password; then everything is normal", async () => {
    const user = await seedUser();
    await setClock(31 * DAY_S);
    const res = await signInAt(user.username);
    expect(res.status).toBe(201);
    expect(res.body.user).toMatchObject({ passwordExpired: true, mustChangePassword: false });
    const token = res.body.token as string;
    const blocked = await callJson("GET", "/v1/me/methods", { token });
    expect(blocked.status).toBe(403);
    expect(blocked.body.error.code).toBe("password_change_required");
    expect((await callJson("GET", "/v1/me", { token })).body.user.passwordExpired).toBe(true);
    const changed = await callJson("POST", "/v1/me/password", { token, body: { currentPassword: STRONG_PASSWORD, newPassword: NEXT_PASSWORD } });
    expect(changed.status).toBe(204);
    const me = await callJson("GET", "/v1/me", { token });
    expect(me.body.user.passwordExpired).toBe(false);
    expect(Date.parse(me.body.user.passwordExpiresAt)).toBe((await changedAt(user.id)) + 30 * DAY_MS);
    expect((await callJson("GET", "/v1/me/methods", { token })).status).toBe(200);
    const audit = await env.DB.prepare("select detail from audit_events where type = 'session.created' and subject_id = ?").bind(user.id).first<{ detail: string }>();
    expect(JSON.parse(audit!.detail)).toEqual({ passwordExpired: true });
  });

  it("a session from before the expiry is restricted once the password expires", async () => {
    const user = await seedUser();
    await setClock(30 * DAY_S - 3600);
    const token = await signIn(user.username, user.password);
    expect((await callJson("GET", "/v1/me/methods", { token })).status).toBe(200);
    await setClock(30 * DAY_S + 60);
    expect((await callJson("GET", "/v1/me/methods", { token })).status).toBe(403);
  });

  it("reauth on an expired password's session is 403 and costs the sign-in lockout nothing", async () => {
    const user = await seedUser();
    await setClock(31 * DAY_S);
    const token = (await signInAt(user.username)).body.token as string;
    for (let i = 0; i < 3; i++) {
      const res = await callJson("POST", "/v1/sessions/current/reauth", { token, body: { password: "Any-Guess-At-All-123" } });
      expect(res.status).toBe(403);
      expect(res.body.error.code).toBe("password_change_required");
    }
    const row = await env.DB.prepare("select failures from sign_in_lockouts where username = ?").bind(user.username).first<{ failures: number }>();
    expect(row?.failures ?? 0).toBe(0);
  });

  it("the wrong password of an expired account is still 401 invalid_credentials", async () => {
    const user = await seedUser();
    await setClock(31 * DAY_S);
    const res = await signInAt(user.username, "Not-The-Password-At-All-1");
    expect(res.status).toBe(401);
    expect(res.body.error.code).toBe("invalid_credentials");
  });

  it("passwordNeverExpires set by an admin: no expiry, no restriction; the change is audited", async () => {
    const user = await seedUser();
    const patched = await callJson("PATCH", `/v1/admin/users/${user.id}`, { token: admin.token, body: { passwordNeverExpires: true } });
    expect(patched.status).toBe(200);
    expect(patched.body).toMatchObject({ passwordNeverExpires: true, passwordExpiresAt: null, passwordExpired: false });
    await setClock(400 * DAY_S);
    const res = await signInAt(user.username);
    expect(res.status).toBe(201);
    expect(res.body.user).toMatchObject({ passwordExpired: false, passwordExpiresAt: null });
    const audit = await env.DB.prepare("select detail from audit_events where type = 'admin.user_updated' and subject_id = ?").bind(user.id).first<{ detail: string }>();
    expect(JSON.parse(audit!.detail)).toEqual({ changes: { passwordNeverExpires: { old: false, new: true } } });
  });

  it("is set at creation and by an import, and audited there; others created with it count from their password", async () => {
    expect((await callJson("PATCH", "/v1/admin/policy", { token: admin.token, body: { passwordPolicy: { expiry: { days: 90 } } } })).status).toBe(200);
    try {
      const created = await callJson("POST", "/v1/admin/users", { token: admin.token, body: { username: "never.one@example.test", displayName: "Never One", password: NEXT_PASSWORD, passwordNeverExpires: true } });
      expect(created.status).toBe(201);
      expect(created.body.user).toMatchObject({ passwordNeverExpires: true, passwordExpiresAt: null });
      const imported = await callJson("POST", "/v1/admin/users/import", {
        token: admin.token,
        body: { users: [{ username: "never.two@example.test", displayName: "Never Two", passwordNeverExpires: true }, { username: "ever.three@example.test", displayName: "Ever Three", password: NEXT_PASSWORD }] },
      });
      expect(imported.body).toEqual({ created: 2, errors: [] });
      const listed = await callJson("GET", "/v1/admin/users?q=example.test&limit=100", { token: admin.token });
      const byName = (name: string) => listed.body.users.find((u: { username: string }) => u.username === name);
      expect(byName("never.two@example.test")).toMatchObject({ passwordNeverExpires: true, passwordExpiresAt: null });
      expect(byName("ever.three@example.test")).toMatchObject({ passwordNeverExpires: false, passwordExpiresAt: expect.any(String) });
      const audit = await env.DB.prepare("select detail from audit_events where type = 'admin.user_created' and subject_id = ?").bind(created.body.user.id).first<{ detail: string }>();
      expect(JSON.parse(audit!.detail)).toMatchObject({ passwordNeverExpires: true });
      const refused = await callJson("POST", "/v1/admin/users", { token: admin.token, body: { username: "never.four@example.test", displayName: "Never Four", passwordNeverExpires: "yes" } });
      expect(refused.status).toBe(400);
    } finally {
      await callJson("PATCH", "/v1/admin/policy", { token: admin.token, body: { passwordPolicy: { expiry: { days: null } } } });
    }
  });

  it("a non-boolean passwordNeverExpires is 400", async () => {
    const user = await seedUser();
    const res = await callJson("PATCH", `/v1/admin/users/${user.id}`, { token: admin.token, body: { passwordNeverExpires: "yes" } });
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe("invalid_request");
  });
});

describe("directory users: expiry is the directory's", () => {
  let agent: TestAgent;
  beforeAll(async () => {
    agent = await connectTestAgent({ onJob: () => ({ ok: true }) });
    await patchPolicy({ passwordPolicy: { expiry: { days: 14 } } });
  });
  afterAll(async () => {
    await agent.close();
    await patchPolicy({ passwordPolicy: { expiry: { days: null } } });
  });

  it("passwordNeverExpires through the admin API is 409 managed_by_directory", async () => {
    const user = await seedDirectoryUser();
    const res = await callJson("PATCH", `/v1/admin/users/${user.id}`, { token: admin.token, body: { passwordNeverExpires: true } });
    expect(res.status).toBe(409);
    expect(res.body.error.code).toBe("managed_by_directory");
  });

  it("the synced expiry is shown, not the policy's; once it has passed the session may only change the password", async () => {
    const user = await seedDirectoryUser();
    const synced = (await env.DB.prepare("select password_expires_at as e from users where id = ?").bind(user.id).first<{ e: number }>())!.e;
    const shown = await callJson("GET", `/v1/admin/users/${user.id}`, { token: admin.token });
    expect(shown.body.passwordExpiresAt).toBe(new Date(synced).toISOString());
    await setClock(Math.ceil((synced - Date.now()) / 1000) + 60);
    const res = await signInAt(user.username);
    expect(res.status).toBe(201);
    expect(res.body.user.passwordExpired).toBe(true);
    expect((await callJson("GET", "/v1/me/methods", { token: res.body.token })).status).toBe(403);
  });
});
