import { env } from "cloudflare:workers";
import { beforeEach, describe, expect, it } from "vitest";
import { call, callJson, seedAndSignIn } from "./helpers.js";

/** This file's own D1: the global admins here are all there are. */
const activeGlobalAdmins = async () =>
  (await env.DB.prepare(`select count(*) as n from users, json_each(users.roles) r where r.value = 'global_admin' and users.disabled = 0`).first<{ n: number }>())!.n;

beforeEach(async () => {
  await env.DB.prepare(`update users set roles = '["user"]'`).run();
});

const globalAdmins = (n: number) => Promise.all(Array.from({ length: n }, () => seedAndSignIn({ roles: ["global_admin"] })));

describe("the last global admin", () => {
  it.each([
    ["demoted", "PATCH", { roles: ["user", "password_admin"] }],
    ["disabled", "PATCH", { disabled: true }],
    ["deleted", "DELETE", undefined],
  ])("cannot be %s: 409 last_admin, nothing changed or audited", async (_name, method, body) => {
    const [admin] = await globalAdmins(1);
    const res = await callJson(method, `/v1/admin/users/${admin!.id}`, { token: admin!.token, body });
    expect(res.status).toBe(409);
    expect(res.body.error.code).toBe("last_admin");
    expect(await activeGlobalAdmins()).toBe(1);
    const audits = await env.DB.prepare("select count(*) as n from audit_events where subject_id = ? and type like 'admin.%'").bind(admin!.id).first<{ n: number }>();
    expect(audits!.n).toBe(0);
  });

  it("does not count a disabled global admin as another one", async () => {
    const [admin] = await globalAdmins(1);
    await seedAndSignIn({ roles: ["global_admin"] }).then((other) => env.DB.prepare("update users set disabled = 1 where id = ?").bind(other.id).run());
    const res = await callJson("PATCH", `/v1/admin/users/${admin!.id}`, { token: admin!.token, body: { roles: ["user"] } });
    expect(res.status).toBe(409);
    expect(res.body.error.code).toBe("last_admin");
  });

  it("can step down once another global admin exists", async () => {
    const [a, b] = await globalAdmins(2);
    const res = await callJson("PATCH", `/v1/admin/users/${a!.id}`, { token: a!.token, body: { roles: ["user"] } });
    expect(res.status).toBe(200);
    expect(res.body.roles).toEqual(["user"]);
    expect(await activeGlobalAdmins()).toBe(1);
    const last = await callJson("DELETE", `/v1/admin/users/${b!.id}`, { token: b!.token });
    expect(last.status).toBe(409);
  });

  it.each([1, 2, 3])("survives five admins demoting themselves at once (round %i): exactly one stays", async () => {
    const admins = await globalAdmins(5);
    const answers = await Promise.all(admins.map((a) => call("PATCH", `/v1/admin/users/${a.id}`, { token: a.token, body: { roles: ["user"] } })));
    const statuses = answers.map((r) => r.status).sort();
    expect(statuses).toEqual([200, 200, 200, 200, 409]);
    expect(await activeGlobalAdmins()).toBe(1);
    const audited = await env.DB.prepare(
      `select count(*) as n from audit_events where type = 'admin.user_updated' and subject_id in (${admins.map(() => "?").join(",")})`,
    ).bind(...admins.map((a) => a.id)).first<{ n: number }>();
    expect(audited!.n).toBe(4);
  });

  it("survives admins deleting and disabling each other at once: never none left", async () => {
    const admins = await globalAdmins(4);
    const answers = await Promise.all(
      admins.map((a, i) => {
        const victim = admins[(i + 1) % admins.length]!;
        return i % 2 === 0
          ? call("DELETE", `/v1/admin/users/${victim.id}`, { token: a.token })
          : call("PATCH", `/v1/admin/users/${victim.id}`, { token: a.token, body: { disabled: true } });
      }),
    );
    // A caller removed before its own request is authenticated gets 401; one removed after, nothing.
    for (const res of answers) expect([200, 204, 401, 409]).toContain(res.status);
    expect(await activeGlobalAdmins()).toBeGreaterThanOrEqual(1);
  });

  it.each([1, 2, 3])("survives two admins deleting each other at once (round %i): exactly one stays", async () => {
    const [a, b] = await globalAdmins(2);
    const answers = await Promise.all([
      call("DELETE", `/v1/admin/users/${b!.id}`, { token: a!.token }),
      call("DELETE", `/v1/admin/users/${a!.id}`, { token: b!.token }),
    ]);
    const statuses = answers.map((r) => r.status);
    expect(statuses.filter((s) => s === 204)).toHaveLength(1);
    expect(statuses.filter((s) => s === 409 || s === 401)).toHaveLength(1);
    expect(await activeGlobalAdmins()).toBe(1);
  });
});
