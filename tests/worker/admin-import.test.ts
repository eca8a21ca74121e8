import { env } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import { call, callJson, seedAndSignIn, seedUser, signIn, STRONG_PASSWORD, uniqueName } from "./helpers.js";

let admin: { id: string; token: string };
beforeAll(async () => {
  admin = await seedAndSignIn({ roles: ["global_admin"] });
});

const importRows = (users: unknown[]) => callJson("POST", "/v1/admin/users/import", { token: admin.token, body: { users } });

const count = async (sql: string, ...args: unknown[]) => (await env.DB.prepare(sql).bind(...args).first<{ n: number }>())!.n;

describe("POST /v1/admin/users/import", () => {
  it("creates the good rows and reports each bad one by index, creating nothing for it", async () => {
    const existing = await seedUser();
    const dup = uniqueName("dup");
    const names = Array.from({ length: 12 }, (_, i) => uniqueName(`row${i}`));
    const rows: unknown[] = [
      { username: names[0], displayName: "Good With Password", password: STRONG_PASSWORD, groups: ["imported"] },
      { username: names[1], displayName: "Good Without Password", email: "good.one@example.org", phone: "+447911123457" },
      { username: names[2], displayName: "Bad Email", email: "nope" },
      { username: dup, displayName: "Dup One", email: "dup1@example.org" },
      { username: dup.toUpperCase(), displayName: "Dup Two" },
      { username: existing.username, displayName: "Taken", email: "taken@example.org" },
      { username: names[6], displayName: "Weak", password: "password", email: "weak@example.org" },
      "not an object",
      { username: names[8], displayName: "Unknown Field", admin: true },
      { username: names[9], displayName: "Bad Phone", phone: "+44 20 7946 0000", email: "badphone@example.org" },
      { username: names[10], displayName: "Admin Row", roles: ["password_admin", "user"] },
      { username: "has space", displayName: "Bad Name" },
    ];
    const { status, body } = await importRows(rows);
    expect(status).toBe(200);
    expect(body.created).toBe(3);
    expect(body.errors.map((e: any) => [e.index, e.error.code])).toEqual([
      [2, "invalid_request"],
      [3, "conflict"],
      [4, "conflict"],
      [5, "conflict"],
      [6, "password_policy"],
      [7, "invalid_request"],
      [8, "invalid_request"],
      [9, "invalid_request"],
      [11, "invalid_request"],
    ]);
    expect(body.errors[0].error.details).toEqual([{ path: "email", message: expect.any(String) }]);
    expect(body.errors[6].error.details).toEqual([{ path: "admin", message: "Unknown field." }]);
    expect(body.errors[7].error.details).toEqual([{ path: "phone", message: expect.any(String) }]);
    expect(JSON.stringify(body)).not.toContain("password\"");

    // The failed rows left nothing: no users, no methods.
    expect(await count("select count(*) as n from users where username in (?, ?, ?, ?, ?)", names[2], dup, names[6], names[8], names[9])).toBe(0);
    expect(await count("select count(*) as n from recovery_methods where target in ('dup1@example.org', 'taken@example.org', 'weak@example.org', 'badphone@example.org')")).toBe(0);

    // A given password is set as it is; without one the account has none until a reset or an admin sets one.
    expect(await signIn(names[0]!, STRONG_PASSWORD)).toBeTruthy();
    const noPassword = await env.DB.prepare("select id, password_hash, must_change_password from users where username = ?").bind(names[1]).first<any>();
    expect(noPassword).toMatchObject({ password_hash: null, must_change_password: 0 });
    expect(await count("select count(*) as n from recovery_methods where user_id = ? and status = 'active'", noPassword.id)).toBe(2);
    const adminRow = await env.DB.prepare("select roles from users where username = ?").bind(names[10]).first<{ roles: string }>();
    expect(JSON.parse(adminRow!.roles)).toEqual(["user", "password_admin"]);

    // One audit row per created user, and one for the import.
    expect(await count("select count(*) as n from audit_events where type = 'admin.user_created' and actor_id = ? and subject_id in (select id from users where username in (?, ?, ?))", admin.id, names[0], names[1], names[10])).toBe(3);
    const summary = await env.DB.prepare("select * from audit_events where type = 'admin.users_imported' and actor_id = ? order by seq desc limit 1").bind(admin.id).first<any>();
    expect(JSON.parse(summary.detail)).toEqual({ rows: 12, created: 3, failed: 9 });
  });

  it("imports 1000 rows in one request of two D1 round trips", async () => {
    const stem = `k${Date.now().toString(36)}`;
    const users = Array.from({ length: 1000 }, (_, i) => ({ username: `${stem}${i}@x.io`, displayName: `U${i}` }));
    expect(JSON.stringify({ users }).length).toBeLessThan(64 * 1024);
    const started = performance.now();
    const res = await call("POST", "/v1/admin/users/import", { token: admin.token, body: { users } });
    const ms = performance.now() - started;
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ created: 1000, errors: [] });
    expect(res.headers.get("server-timing")).toMatch(/d1;desc="2 round trips"/);
    expect(await count("select count(*) as n from users where username like ?", `${stem}%`)).toBe(1000);
    console.log(`import of 1000 rows without passwords: ${ms.toFixed(0)} ms in the test pool`);
  });

  it("imports 100 rows with passwords, the most per request (test KDF profile), and reports the time", async () => {
    const stem = `p${Date.now().toString(36)}`;
    const users = Array.from({ length: 100 }, (_, i) => ({ username: `${stem}${i}@x.io`, displayName: `P${i}`, password: `Import-Password-Number-${i}` }));
    const started = performance.now();
    const { status, body } = await importRows(users);
    const ms = performance.now() - started;
    expect(status).toBe(200);
    expect(body).toEqual({ created: 100, errors: [] });
    console.log(`import of 100 rows with passwords: ${ms.toFixed(0)} ms in the test pool (KDF_PROFILE=test)`);
  });

  it("lets two imports of the same names race: each name is created once, the loser's rows are conflicts", async () => {
    const users = Array.from({ length: 20 }, (_, i) => ({ username: uniqueName(`race${i}`), displayName: `Race ${i}`, email: `race${i}@example.org` }));
    const [a, b] = await Promise.all([importRows(users), importRows(users)]);
    expect(a.status).toBe(200);
    expect(b.status).toBe(200);
    expect(a.body.created + b.body.created).toBe(20);
    expect(a.body.errors.length + b.body.errors.length).toBe(20);
    for (const e of [...a.body.errors, ...b.body.errors]) expect(e.error.code).toBe("conflict");
    const ids = await env.DB.prepare(`select id from users where username in (${users.map(() => "?").join(",")})`).bind(...users.map((u) => u.username)).all<{ id: string }>();
    expect(ids.results).toHaveLength(20);
    expect(await count(`select count(*) as n from recovery_methods where target like 'race%@example.org'`)).toBe(20);
  });

  it.each([
    ["an empty list", { users: [] }, 400],
    ["more than 1000 rows", { users: Array.from({ length: 1001 }, () => ({})) }, 400],
    ["no users field", { rows: [] }, 400],
  ])("answers %s with %i", async (_name, body, status) => {
    const res = await callJson("POST", "/v1/admin/users/import", { token: admin.token, body });
    expect(res.status).toBe(status);
    expect(res.body.error.code).toBe("invalid_request");
  });

  it("answers a body over 64 KiB with 413", async () => {
    const users = Array.from({ length: 1000 }, (_, i) => ({ username: `long-username-number-${i}@example.com`, displayName: `Display Name ${i}`, email: `someone.${i}@example.com` }));
    const res = await callJson("POST", "/v1/admin/users/import", { token: admin.token, body: { users } });
    expect(res.status).toBe(413);
    expect(res.body.error.code).toBe("payload_too_large");
  });
});

describe("import size limits", () => {
  it("creates the first 100 valid rows carrying passwords and reports each one past them as a row error", async () => {
    const { callJson: cj, seedAndSignIn: sign, uniqueName: un } = await import("./helpers.js");
    const admin = await sign({ roles: ["global_admin"] });
    const stem = `cap${Date.now().toString(36)}`;
    // Row 0 has a weak password: it fails on its own and does not use up one of the 100.
    const users = [
      { username: un(`${stem}weak`), displayName: "Weak", password: "password" },
      ...Array.from({ length: 101 }, (_, i) => ({ username: un(`${stem}p${i}`), displayName: `Cap ${i}`, password: "Long-Enough-Passphrase-For-Bulk-91" })),
      { username: un(`${stem}nopw`), displayName: "No Password" },
    ];
    const r = await cj("POST", "/v1/admin/users/import", { token: admin.token, body: { users } });
    expect(r.status).toBe(200);
    expect(r.body.created).toBe(101);
    expect(r.body.errors.map((e: { index: number; error: { code: string } }) => [e.index, e.error.code])).toEqual([
      [0, "password_policy"],
      [101, "invalid_request"],
    ]);
    expect(r.body.errors[1].error.message).toMatch(/Only 100 rows per import may carry a password/);
    const left = await cj("GET", `/v1/admin/users?q=${encodeURIComponent(users[101]!.username)}`, { token: admin.token });
    expect(left.body.users).toEqual([]);
  });
});
