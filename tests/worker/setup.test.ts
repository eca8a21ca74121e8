import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import type { Db } from "../../worker/src/context.js";
import { setUp } from "../../worker/src/flows/setup.js";
import { RequestTiming } from "../../worker/src/timing.js";
import { BASE, callJson, STRONG_PASSWORD, uniqueName } from "./helpers.js";
import { dbWithHook, directDb } from "./stale-read.js";

const SETUP = { authorization: "Bearer dev-setup-token" };

/** Setup is a once-per-directory event; each test starts from a directory without global admins. */
async function withoutGlobalAdmins() {
  await env.DB.prepare(`delete from users where exists (select 1 from json_each(users.roles) where value = 'global_admin')`).run();
}

describe("POST /v1/setup", () => {
  it("rejects a wrong setup token with 401", async () => {
    await withoutGlobalAdmins();
    const { status, body } = await callJson("POST", "/v1/setup", {
      headers: { authorization: "Bearer wrong-token-wrong-token" },
      body: { username: uniqueName("admin"), displayName: "Admin", password: STRONG_PASSWORD },
    });
    expect(status).toBe(401);
    expect(body.error.code).toBe("unauthorized");
  });

  it("checks the token before the body: no or a wrong token with a bad body is still 401", async () => {
    for (const headers of [{}, { authorization: "Bearer wrong" }] as Record<string, string>[]) {
      const { status, body } = await callJson("POST", "/v1/setup", { headers, body: { username: 1 } });
      expect(status).toBe(401);
      expect(body.error.code).toBe("unauthorized");
    }
  });

  it("rejects a weak password with 422 and every failed rule", async () => {
    await withoutGlobalAdmins();
    const { status, body } = await callJson("POST", "/v1/setup", {
      headers: SETUP,
      body: { username: uniqueName("admin"), displayName: "Admin", password: "password" },
    });
    expect(status).toBe(422);
    expect(body.error.code).toBe("password_policy");
    expect(body.error.details.map((d: { rule: string }) => d.rule)).toEqual(expect.arrayContaining(["min_length", "common"]));
    expect(JSON.stringify(body)).not.toContain('"password"');
  });

  it("creates the first global admin once, then answers 409", async () => {
    await withoutGlobalAdmins();
    const username = uniqueName("Admin");
    const first = await callJson("POST", "/v1/setup", { headers: SETUP, body: { username, displayName: "First Admin", password: STRONG_PASSWORD } });
    expect(first.status).toBe(201);
    expect(first.body).toMatchObject({ username: username.toLowerCase(), displayName: "First Admin", roles: ["global_admin"], mustChangePassword: false });
    const second = await callJson("POST", "/v1/setup", { headers: SETUP, body: { username: uniqueName("admin"), displayName: "Second", password: STRONG_PASSWORD } });
    expect(second.status).toBe(409);
    expect(second.body.error.code).toBe("already_set_up");
    const signIn = await callJson("POST", "/v1/sessions", { body: { username, password: STRONG_PASSWORD } });
    expect(signIn.status).toBe(201);
  });

  it("stores the first policy, which in development watches the worker's own demo sign-in page", async () => {
    await env.DB.prepare("delete from policies").run();
    await withoutGlobalAdmins();
    const before = await callJson("GET", "/v1/config");
    expect(before.body.signInPages).toEqual([]);
    const created = await callJson("POST", "/v1/setup", { headers: SETUP, body: { username: uniqueName("admin"), displayName: "Admin", password: STRONG_PASSWORD } });
    expect(created.status).toBe(201);
    const after = await callJson("GET", "/v1/config");
    expect(after.body.signInPages).toEqual([`${BASE}/demo/*`]);
  });

  it("lets only one of ten concurrent setups win", async () => {
    await withoutGlobalAdmins();
    const answers = await Promise.all(
      Array.from({ length: 10 }, () =>
        callJson("POST", "/v1/setup", { headers: SETUP, body: { username: uniqueName("racer"), displayName: "Racer", password: STRONG_PASSWORD } }),
      ),
    );
    expect(answers.filter((a) => a.status === 201)).toHaveLength(1);
    expect(answers.filter((a) => a.status === 409)).toHaveLength(9);
    const admins = await env.DB.prepare(`select count(*) as n from users, json_each(users.roles) where value = 'global_admin'`).first<{ n: number }>();
    expect(admins!.n).toBe(1);
  });

  it("a setup that loses to another on a fresh database is told it is set up, not that the name is taken", async () => {
    await env.DB.prepare("delete from policies").run();
    await withoutGlobalAdmins();
    const input = (db: Db, username: string) => ({ env, db, now: Date.now(), ip: null, timing: new RequestTiming(), origin: BASE, body: { username, displayName: "Admin", password: STRONG_PASSWORD } });
    // Both read "no admin, no policy"; the other one writes its admin and policy version 1 first.
    const racing = dbWithHook(async (n) => {
      if (n === 2) await setUp(input(directDb(), uniqueName("winner")));
    });
    await expect(setUp(input(racing, uniqueName("loser")))).rejects.toMatchObject({ status: 409, code: "already_set_up" });
  });
});
