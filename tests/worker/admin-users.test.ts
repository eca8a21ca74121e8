import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { call, callJson, seedAndSignIn, seedMethod, seedUser, signIn, STRONG_PASSWORD, uniqueName } from "./helpers.js";

const globalAdmin = () => seedAndSignIn({ roles: ["global_admin"] });

async function auditOf(subjectId: string, type: string) {
  const { results } = await env.DB.prepare("select * from audit_events where subject_id = ? and type = ? order by seq").bind(subjectId, type).all<any>();
  return results.map((r) => ({ ...r, detail: JSON.parse(r.detail) }));
}

describe("POST /v1/admin/users", () => {
  it("sets a given password as it is and makes email and phone active methods, showing hints only", async () => {
    const admin = await globalAdmin();
    const username = uniqueName("Created");
    const { status, body } = await callJson("POST", "/v1/admin/users", {
      token: admin.token,
      body: { username: `  ${username.toUpperCase()} `, displayName: "Cora Created", email: "cora.created@example.org", phone: "+44 7911 123456", password: STRONG_PASSWORD, groups: ["sales", "sales", "emea"] },
    });
    expect(status).toBe(201);
    expect(body.temporaryPassword).toBeUndefined();
    expect(body.user).toMatchObject({ username: username.toLowerCase(), displayName: "Cora Created", roles: ["user"], groups: ["emea", "sales"], mustChangePassword: false, disabled: false, lockedUntil: null, resetBlockedUntil: null, lastSignInAt: null });
    expect(body.user.passwordChangedAt).toEqual(expect.any(String));
    expect(body.user.registration.methods.map((m: any) => [m.type, m.status, m.hint]).sort()).toEqual([
      ["email", "active", "c•••@e•••.org"],
      ["sms", "active", "•••••••3456"],
    ]);
    expect(body.user.registration.complete).toBe(true);
    const text = JSON.stringify(body);
    expect(text).not.toContain("cora.created@");
    expect(text).not.toContain("7911123456");
    expect(text).not.toContain("argon2");
    const session = await callJson("POST", "/v1/sessions", { body: { username, password: STRONG_PASSWORD } });
    expect(session.status).toBe(201);
    expect(session.body.user.mustChangePassword).toBe(false);
    const [audit] = await auditOf(body.user.id, "admin.user_created");
    expect(audit).toMatchObject({ actor_id: admin.id, outcome: "success" });
    expect(audit.detail).toEqual({ username: username.toLowerCase(), roles: ["user"], groups: ["emea", "sales"], methods: ["email", "sms"], passwordSet: true, mustChangePassword: false });
  });

  it("generates a temporary password that passes the policy, works once for sign-in and forces a change", async () => {
    const admin = await globalAdmin();
    const username = uniqueName("temp");
    const { status, body } = await callJson("POST", "/v1/admin/users", { token: admin.token, body: { username, displayName: "Tina Temp", roles: ["password_admin"] } });
    expect(status).toBe(201);
    expect(body.temporaryPassword).toMatch(/^[a-km-zA-HJ-NP-Z2-9]{5}(-[a-km-zA-HJ-NP-Z2-9]{5}){3}$/);
    expect(body.user.mustChangePassword).toBe(true);
    const session = await callJson("POST", "/v1/sessions", { body: { username, password: body.temporaryPassword } });
    expect(session.status).toBe(201);
    expect(session.body.user.mustChangePassword).toBe(true);
    const policy = await callJson("GET", "/v1/admin/policy", { token: session.body.token });
    expect(policy.status).toBe(403);
    expect(policy.body.error.code).toBe("password_change_required");
  });

  it("makes temporary passwords as long as the policy's minimum", async () => {
    const admin = await globalAdmin();
    const patched = await callJson("PATCH", "/v1/admin/policy", { token: admin.token, body: { passwordPolicy: { minLength: 64, maxLength: 64, requiredCharacterClasses: 4 } } });
    expect(patched.status).toBe(200);
    try {
      const { status, body } = await callJson("POST", "/v1/admin/users", { token: admin.token, body: { username: uniqueName("long"), displayName: "Long Temp" } });
      expect(status).toBe(201);
      expect(body.temporaryPassword).toHaveLength(64);
    } finally {
      const reset = await callJson("PATCH", "/v1/admin/policy", { token: admin.token, body: { passwordPolicy: { minLength: 15, maxLength: 256, requiredCharacterClasses: 0 } } });
      expect(reset.status).toBe(200);
    }
  });

  it("answers a taken username, in any case, with 409 conflict", async () => {
    const admin = await globalAdmin();
    const existing = await seedUser();
    const { status, body } = await callJson("POST", "/v1/admin/users", { token: admin.token, body: { username: existing.username.toUpperCase(), displayName: "Dup" } });
    expect(status).toBe(409);
    expect(body.error.code).toBe("conflict");
  });

  it.each([
    ["an invalid email", { email: "not-an-email" }, "email"],
    ["a landline-looking or invalid phone", { phone: "12345" }, "phone"],
    ["a username with spaces", { username: "two words" }, "username"],
    ["an unknown role", { roles: ["root"] }, "roles.0"],
    ["an unknown field", { admin: true }, "admin"],
  ])("answers %s with 400 naming the field", async (_name, extra, path) => {
    const admin = await globalAdmin();
    const { status, body } = await callJson("POST", "/v1/admin/users", { token: admin.token, body: { username: uniqueName("bad"), displayName: "Bad Row", ...extra } });
    expect(status).toBe(400);
    expect(body.error.code).toBe("invalid_request");
    expect(body.error.details.map((d: any) => d.path)).toContain(path);
  });

  it("answers a password against the policy with 422 password_policy, creating nothing", async () => {
    const admin = await globalAdmin();
    const username = uniqueName("weak");
    const { status, body } = await callJson("POST", "/v1/admin/users", { token: admin.token, body: { username, displayName: "Weak", password: "password" } });
    expect(status).toBe(422);
    expect(body.error.code).toBe("password_policy");
    expect(body.error.details.map((d: any) => d.rule)).toContain("min_length");
    expect(await env.DB.prepare("select 1 from users where username = ?").bind(username).first()).toBeNull();
  });
});

describe("GET /v1/admin/users/{id}", () => {
  it("shows lock state, reset block and last sign-in, only while they are in the future", async () => {
    const admin = await globalAdmin();
    const user = await seedAndSignIn();
    const until = Date.now() + 600_000;
    await env.DB.batch([
      env.DB.prepare("insert into sign_in_lockouts (username, failures, lock_count, locked_until, updated_at) values (?, 0, 1, ?, ?)").bind(user.username, until, Date.now()),
      env.DB.prepare("update users set reset_blocked_until = ? where id = ?").bind(until, user.id),
    ]);
    const { status, body } = await callJson("GET", `/v1/admin/users/${user.id}`, { token: admin.token });
    expect(status).toBe(200);
    expect(body.lockedUntil).toBe(new Date(until).toISOString());
    expect(body.resetBlockedUntil).toBe(new Date(until).toISOString());
    expect(body.lastSignInAt).toEqual(expect.any(String));
    await env.DB.prepare("update users set reset_blocked_until = ? where id = ?").bind(Date.now() - 1000, user.id).run();
    const later = await callJson("GET", `/v1/admin/users/${user.id}`, { token: admin.token });
    expect(later.status).toBe(200);
    expect(later.body.resetBlockedUntil).toBeNull();
  });

  it("answers an unknown id with 404", async () => {
    const admin = await globalAdmin();
    const { status, body } = await callJson("GET", "/v1/admin/users/usr_nope", { token: admin.token });
    expect(status).toBe(404);
    expect(body.error.code).toBe("not_found");
  });
});

describe("PATCH /v1/admin/users/{id}", () => {
  it("changes fields, audits old and new values, and a disable ends the user's sessions", async () => {
    const admin = await globalAdmin();
    const user = await seedAndSignIn({ displayName: "Old Name", groups: ["a"] });
    const { status, body } = await callJson("PATCH", `/v1/admin/users/${user.id}`, { token: admin.token, body: { displayName: "New Name", groups: ["b", "a"], disabled: true } });
    expect(status).toBe(200);
    expect(body).toMatchObject({ id: user.id, displayName: "New Name", groups: ["a", "b"], disabled: true });
    expect((await call("GET", "/v1/me", { token: user.token })).status).toBe(401);
    expect((await env.DB.prepare("select count(*) as n from sessions where user_id = ?").bind(user.id).first<{ n: number }>())!.n).toBe(0);
    const [audit] = await auditOf(user.id, "admin.user_updated");
    expect(audit.actor_id).toBe(admin.id);
    expect(audit.detail.changes).toEqual({
      displayName: { old: "Old Name", new: "New Name" },
      groups: { old: ["a"], new: ["a", "b"] },
      disabled: { old: false, new: true },
    });
  });

  it("answers an empty patch with 400", async () => {
    const admin = await globalAdmin();
    const user = await seedUser();
    const { status, body } = await callJson("PATCH", `/v1/admin/users/${user.id}`, { token: admin.token, body: {} });
    expect(status).toBe(400);
    expect(body.error.code).toBe("invalid_request");
  });
});

describe("DELETE /v1/admin/users/{id}", () => {
  it("deletes the user with their sessions and methods, and audits it", async () => {
    const admin = await globalAdmin();
    const user = await seedAndSignIn();
    await seedMethod(user.id);
    const res = await call("DELETE", `/v1/admin/users/${user.id}`, { token: admin.token });
    expect(res.status).toBe(204);
    expect((await call("GET", `/v1/admin/users/${user.id}`, { token: admin.token })).status).toBe(404);
    expect((await call("GET", "/v1/me", { token: user.token })).status).toBe(401);
    expect((await env.DB.prepare("select count(*) as n from recovery_methods where user_id = ?").bind(user.id).first<{ n: number }>())!.n).toBe(0);
    expect((await auditOf(user.id, "admin.user_deleted"))[0]).toMatchObject({ actor_id: admin.id });
    expect((await call("DELETE", `/v1/admin/users/${user.id}`, { token: admin.token })).status).toBe(404);
  });

  it("takes the name's sign-in lockout with it: an account created again under the name starts unlocked", async () => {
    const admin = await globalAdmin();
    const user = await seedUser();
    await env.DB.prepare("insert into sign_in_lockouts (username, failures, lock_count, locked_until, updated_at) values (?, 100, 9, ?, ?)").bind(user.username, Date.UTC(9999, 11, 31), Date.now()).run();
    expect((await call("DELETE", `/v1/admin/users/${user.id}`, { token: admin.token })).status).toBe(204);
    const again = await seedUser({ username: user.username });
    expect((await call("POST", "/v1/sessions", { body: { username: again.username, password: again.password } })).status).toBe(201);
  });
});

describe("POST /v1/admin/users/{id}/password", () => {
  it("sets a generated temporary password, ends sessions, clears the sign-in lockout and forces a change", async () => {
    const admin = await globalAdmin();
    const user = await seedAndSignIn();
    await env.DB.prepare("insert into sign_in_lockouts (username, failures, lock_count, locked_until, updated_at) values (?, 0, 1, ?, ?)").bind(user.username, Date.now() + 600_000, Date.now()).run();
    const { status, body } = await callJson("POST", `/v1/admin/users/${user.id}/password`, { token: admin.token });
    expect(status).toBe(200);
    expect(body.temporaryPassword).toEqual(expect.any(String));
    expect((await call("GET", "/v1/me", { token: user.token })).status).toBe(401);
    expect((await call("POST", "/v1/sessions", { body: { username: user.username, password: user.password } })).status).toBe(401);
    const session = await callJson("POST", "/v1/sessions", { body: { username: user.username, password: body.temporaryPassword } });
    expect(session.status).toBe(201);
    expect(session.body.user.mustChangePassword).toBe(true);
    const [audit] = await auditOf(user.id, "admin.password_set");
    expect(audit).toMatchObject({ actor_id: admin.id });
    expect(audit.detail).toEqual({ generated: true });
    expect(JSON.stringify(audit)).not.toContain(body.temporaryPassword);
  });

  it("tells the user by email (account email and active email methods), never with the password", async () => {
    const admin = await globalAdmin();
    const username = uniqueName("notified");
    const created = await callJson("POST", "/v1/admin/users", { token: admin.token, body: { username, displayName: "Nora Notified", email: `Nora.${username}`, password: STRONG_PASSWORD } });
    expect(created.status).toBe(201);
    await seedMethod(created.body.user.id, { type: "email", target: `second.${username}` });
    await seedMethod(created.body.user.id, { type: "email", status: "pending", target: `pending.${username}` });
    const { status, body } = await callJson("POST", `/v1/admin/users/${created.body.user.id}/password`, { token: admin.token, body: {} });
    expect(status).toBe(200);
    for (const to of [`nora.${username}`, `second.${username}`]) {
      const outbox = await callJson("GET", `/v1/dev/outbox?to=${encodeURIComponent(to)}`);
      expect(outbox.status).toBe(200);
      expect(outbox.body.messages).toHaveLength(1);
      expect(outbox.body.messages[0].subject).toMatch(/an administrator reset your password/);
      expect(outbox.body.messages[0].body).toContain(username);
      expect(outbox.body.messages[0].body).not.toContain(body.temporaryPassword);
    }
    const pending = await callJson("GET", `/v1/dev/outbox?to=${encodeURIComponent(`pending.${username}`)}`);
    expect(pending.status).toBe(200);
    expect(pending.body.messages).toEqual([]);
  });

  it("takes an admin's password, checked against the policy", async () => {
    const admin = await globalAdmin();
    const user = await seedUser();
    const weak = await callJson("POST", `/v1/admin/users/${user.id}/password`, { token: admin.token, body: { password: "short" } });
    expect(weak.status).toBe(422);
    expect(weak.body.error.code).toBe("password_policy");
    const given = "Helpdesk-Chose-This-One-7";
    const { status, body } = await callJson("POST", `/v1/admin/users/${user.id}/password`, { token: admin.token, body: { password: given } });
    expect(status).toBe(200);
    expect(body).toEqual({ temporaryPassword: given });
    expect(await signIn(user.username, given)).toBeTruthy();
  });
});

describe("POST /v1/admin/users/{id}/password, concurrently", () => {
  it("never answers a temporary password that does not work: of 12 concurrent sets the overlapping ones get 409", async () => {
    const admin = await globalAdmin();
    const user = await seedUser();
    const sets = await Promise.all(Array.from({ length: 12 }, () => callJson("POST", `/v1/admin/users/${user.id}/password`, { token: admin.token })));
    const won = sets.filter((r) => r.status === 200);
    // A set that started after another finished reads its password and wins in turn; sets that overlap cannot both.
    expect(won.length).toBeGreaterThan(0);
    expect(won.length).toBeLessThan(sets.length);
    for (const lost of sets.filter((r) => r.status !== 200)) {
      expect(lost.status).toBe(409);
      expect(lost.body.error.code).toBe("conflict");
      expect(lost.body.temporaryPassword).toBeUndefined();
    }
    expect(await auditOf(user.id, "admin.password_set")).toHaveLength(won.length);
    const working = [];
    for (const r of won) {
      const session = await call("POST", "/v1/sessions", { body: { username: user.username, password: r.body.temporaryPassword } });
      if (session.status === 201) working.push(r);
    }
    expect(working).toHaveLength(1);
    // Once settled, the next set reads the new password and goes through.
    expect((await callJson("POST", `/v1/admin/users/${user.id}/password`, { token: admin.token })).status).toBe(200);
  });
});

describe("DELETE /v1/admin/users/{id}/methods", () => {
  it("removes every method and the last confirmation: the user must register again", async () => {
    const admin = await globalAdmin();
    const user = await seedUser();
    await seedMethod(user.id, { type: "email" });
    await seedMethod(user.id, { type: "totp" });
    await env.DB.prepare("update users set registration_confirmed_at = ? where id = ?").bind(Date.now(), user.id).run();
    const res = await call("DELETE", `/v1/admin/users/${user.id}/methods`, { token: admin.token });
    expect(res.status).toBe(204);
    const { status, body } = await callJson("GET", `/v1/admin/users/${user.id}`, { token: admin.token });
    expect(status).toBe(200);
    expect(body.registration).toMatchObject({ methods: [], complete: false, required: true, lastConfirmedAt: null });
    expect((await auditOf(user.id, "admin.methods_cleared"))[0].detail).toEqual({ removed: 2, types: ["email", "totp"] });
  });
});

describe("POST /v1/admin/users/{id}/unlock", () => {
  it("clears the sign-in lockout, the reset block and the user's reset failure counters, nobody else's", async () => {
    const admin = await globalAdmin();
    const user = await seedUser();
    const other = await seedUser();
    const methodId = await seedMethod(user.id);
    const until = Date.now() + 600_000;
    const counter = env.DB.prepare("insert into rate_counters (key, count, window_start, window_end) values (?, 3, ?, ?)");
    await env.DB.batch([
      env.DB.prepare("insert into sign_in_lockouts (username, failures, lock_count, locked_until, updated_at) values (?, 0, 1, ?, ?)").bind(user.username, until, Date.now()),
      env.DB.prepare("update users set reset_blocked_until = ? where id = ?").bind(until, user.id),
      counter.bind(`reset-fail:user:${user.id}`, Date.now(), until),
      counter.bind(`reset-fail:method:${methodId}`, Date.now(), until),
      counter.bind(`reset-fail:user:${other.id}`, Date.now(), until),
    ]);
    const res = await call("POST", `/v1/admin/users/${user.id}/unlock`, { token: admin.token });
    expect(res.status).toBe(204);
    const { body } = await callJson("GET", `/v1/admin/users/${user.id}`, { token: admin.token });
    expect(body).toMatchObject({ lockedUntil: null, resetBlockedUntil: null });
    const { results } = await env.DB.prepare("select key from rate_counters where key like 'reset-fail:%'").all<{ key: string }>();
    expect(results.map((r) => r.key)).toEqual([`reset-fail:user:${other.id}`]);
    expect((await auditOf(user.id, "admin.unlocked"))[0].detail).toEqual({ lockedUntil: new Date(until).toISOString(), resetBlockedUntil: new Date(until).toISOString() });
    expect(await signIn(user.username, user.password)).toBeTruthy();
  });
});

describe("OpenAPI document", () => {
  it("documents every admin route from the shared schemas, import rows included", async () => {
    const { status, body } = await callJson("GET", "/v1/openapi.json");
    expect(status).toBe(200);
    const paths = body.paths;
    expect(Object.keys(paths)).toEqual(
      expect.arrayContaining([
        "/v1/admin/users",
        "/v1/admin/users/import",
        "/v1/admin/users/{id}",
        "/v1/admin/users/{id}/password",
        "/v1/admin/users/{id}/methods",
        "/v1/admin/users/{id}/unlock",
        "/v1/admin/audit",
        "/v1/admin/reports/registration",
        "/v1/admin/reports/resets",
      ]),
    );
    expect(Object.keys(paths["/v1/admin/users/{id}"])).toEqual(expect.arrayContaining(["get", "patch", "delete"]));
    const row = paths["/v1/admin/users/import"].post.requestBody.content["application/json"].schema.properties.users.items;
    expect(row.required).toEqual(["username", "displayName"]);
    expect(Object.keys(row.properties)).toEqual(["username", "displayName", "email", "phone", "password", "roles", "groups", "passwordNeverExpires", "locale"]);
    expect(Object.keys(paths["/v1/admin/audit"].get.responses["200"].content)).toEqual(["application/json", "text/csv"]);
    const created = paths["/v1/admin/users"].post.responses["201"].content["application/json"].schema;
    expect(created.properties.user.properties).toHaveProperty("lockedUntil");
  });
});
