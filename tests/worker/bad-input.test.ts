import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { call, callJson, seedAndSignIn } from "./helpers.js";

/**
 * Spec §9: every endpoint answers bad input with a 4xx in the error shape, never a 500, and writes
 * nothing. The operations come from the worker's own OpenAPI document, so a new route is covered the
 * day it is added.
 */
interface Operation {
  method: string;
  path: string;
  hasBody: boolean;
  secured: boolean;
}

async function operations(): Promise<Operation[]> {
  const { body } = await callJson("GET", "/v1/openapi.json");
  const ops: Operation[] = [];
  for (const [path, item] of Object.entries<Record<string, { requestBody?: unknown; security?: unknown[] }>>(body.paths)) {
    for (const [method, op] of Object.entries(item)) {
      ops.push({ method: method.toUpperCase(), path: path.replace(/\{[^}]+\}/g, "x_unknown_id"), hasBody: !!op.requestBody, secured: !!op.security?.length });
    }
  }
  return ops;
}

const BAD_BODIES: [string, { raw: string; type?: string }][] = [
  ["malformed JSON", { raw: '{"a":' }],
  ["a JSON array", { raw: "[1,2]" }],
  ["a JSON string", { raw: '"hello"' }],
  ["wrong types everywhere", { raw: JSON.stringify({ username: 1, password: [], code: {}, methodId: null, type: 5, answers: "x", newPassword: false, orgName: 7 }) }],
  ["an unknown field", { raw: JSON.stringify({ surprise: "'; drop table users; --" }) }],
  ["form encoding", { raw: "a=1&b=2", type: "application/x-www-form-urlencoded" }],
  ["an oversized body", { raw: JSON.stringify({ username: "x".repeat(70 * 1024) }) }],
];

async function tableCounts(): Promise<string> {
  const tables = ["users", "sessions", "recovery_methods", "verification_codes", "resets", "policies"];
  const counts = await Promise.all(tables.map((t) => env.DB.prepare(`select count(*) as n from ${t}`).first<{ n: number }>()));
  return JSON.stringify(counts.map((c) => c!.n));
}

describe("bad input on every operation", () => {
  it("answers 4xx in the error shape, never 5xx, and writes nothing", { timeout: 120_000 }, async () => {
    const admin = await seedAndSignIn({ roles: ["global_admin"] });
    const ops = await operations();
    expect(ops.length).toBeGreaterThan(15);
    const before = await tableCounts();
    const failures: string[] = [];
    for (const op of ops.filter((o) => o.hasBody)) {
      for (const [name, bad] of BAD_BODIES) {
        for (const token of [undefined, admin.token]) {
          const res = await call(op.method, op.path, { raw: bad.raw, token, headers: { "content-type": bad.type ?? "application/json" } });
          const text = await res.text();
          let shaped = false;
          try {
            const parsed = JSON.parse(text);
            shaped = typeof parsed.error?.code === "string" && typeof parsed.error?.message === "string";
          } catch {
            shaped = false;
          }
          if (res.status < 400 || res.status >= 500 || !shaped) failures.push(`${op.method} ${op.path} with ${name}${token ? " (admin)" : ""}: ${res.status} ${text.slice(0, 120)}`);
        }
      }
    }
    expect(failures).toEqual([]);
    expect(await tableCounts()).toBe(before);
  });

  it("treats SQL- and script-shaped strings as data", async () => {
    const admin = await seedAndSignIn({ roles: ["global_admin"] });
    const orgName = `Robert'); DROP TABLE users;-- <script>alert(1)</script>`;
    const patched = await callJson("PATCH", "/v1/admin/policy", { token: admin.token, body: { orgName } });
    expect(patched.status).toBe(200);
    expect(patched.body.orgName).toBe(orgName);
    const config = await callJson("GET", "/v1/config");
    expect(config.body.orgName).toBe(orgName);
    const signIn = await callJson("POST", "/v1/sessions", { body: { username: "' or 1=1 --", password: "' or '1'='1" } });
    expect(signIn.status).toBe(401);
    const reset = await callJson("POST", "/v1/resets", { body: { username: "admin'--" } });
    expect(reset.status).toBe(200);
    expect(reset.body.status).toBe("unavailable");
  });

  it("answers bad path and query parameters with 4xx", async () => {
    const admin = await seedAndSignIn({ roles: ["global_admin"] });
    for (const path of [`/v1/resets/${"x".repeat(300)}`, "/v1/dev/outbox?to=" + "a".repeat(400), "/v1/dev/outbox?unknown=1", "/v1/me/methods/%00/verify"]) {
      const res = await call(path.includes("verify") ? "POST" : "GET", path, { token: admin.token, body: path.includes("verify") ? { code: "12345678" } : undefined });
      expect(res.status, path).toBeGreaterThanOrEqual(400);
      expect(res.status, path).toBeLessThan(500);
    }
  });

  it("checks the caller before the input: a bad body never hides a 401 or a 403", { timeout: 60_000 }, async () => {
    const user = await seedAndSignIn();
    const passwordAdmin = await seedAndSignIn({ roles: ["password_admin"] });
    const ops = (await operations()).filter((o) => o.secured && o.path !== "/v1/setup");
    expect(ops.length).toBeGreaterThan(20);
    const wrong: string[] = [];
    const expectStatus = async (op: Operation, token: string | undefined, want: number) => {
      const res = await call(op.method, `${op.path}?surprise=1`, op.method === "GET" ? { token } : { token, raw: '{"surprise":1}', headers: { "content-type": "application/json" } });
      if (res.status !== want) wrong.push(`${op.method} ${op.path}${token ? " (signed in)" : ""}: ${res.status}, not ${want}`);
    };
    for (const op of ops) {
      await expectStatus(op, undefined, 401);
      if (op.path.startsWith("/v1/admin/")) await expectStatus(op, user.token, 403);
    }
    // Global-admin-only operations refuse a password admin before they look at the input.
    for (const op of ops.filter((o) => (o.path === "/v1/admin/policy" && o.method !== "GET") || o.path === "/v1/admin/users/import" || (o.path === "/v1/admin/users/x_unknown_id" && o.method === "DELETE"))) {
      await expectStatus(op, passwordAdmin.token, 403);
    }
    expect(wrong).toEqual([]);
  });

  it("checks the caller before input only the route can judge: a cursor or a date range", async () => {
    const user = await seedAndSignIn();
    const admin = await seedAndSignIn({ roles: ["password_admin"] });
    const paths = ["/v1/admin/users?cursor=not-a-cursor", "/v1/admin/audit?cursor=not-a-cursor", "/v1/admin/audit?since=2026-02-01T00:00:00Z&until=2026-01-01T00:00:00Z", "/v1/admin/reports/resets?since=2026-02-01T00:00:00Z&until=2026-01-01T00:00:00Z"];
    for (const path of paths) {
      expect((await call("GET", path)).status, path).toBe(401);
      expect((await call("GET", path, { token: user.token })).status, path).toBe(403);
      expect((await call("GET", path, { token: admin.token })).status, path).toBe(400);
    }
  });

  it("refuses fields sent to operations that take no body, and accepts {} or nothing", async () => {
    const admin = await seedAndSignIn({ roles: ["global_admin"] });
    const bodiless = (await operations()).filter((o) => !o.hasBody && o.method !== "GET");
    expect(bodiless.map((o) => `${o.method} ${o.path}`)).toEqual(expect.arrayContaining(["POST /v1/me/registration/confirm", "DELETE /v1/sessions/current", "POST /v1/admin/users/x_unknown_id/unlock"]));
    for (const op of bodiless) {
      const { status, body } = await callJson(op.method, op.path, { token: admin.token, body: { surprise: 1 } });
      expect(status, `${op.method} ${op.path}`).toBe(400);
      expect(body.error.details, `${op.method} ${op.path}`).toEqual([{ path: "surprise", message: "Unknown field." }]);
    }
    const user = await seedAndSignIn();
    expect((await callJson("POST", "/v1/me/registration/skip", { token: user.token, body: {} })).status).not.toBe(400);
    expect((await call("POST", "/v1/me/registration/skip", { token: user.token })).status).not.toBe(400);
    expect((await callJson("GET", "/v1/me", { token: user.token })).status).toBe(200);
  });

  it("says which fields are missing and which have the wrong type", async () => {
    const wrongTypes = await callJson("POST", "/v1/sessions", { body: { username: 1, password: ["x"] } });
    expect(wrongTypes.status).toBe(400);
    expect(wrongTypes.body.error.details).toEqual([
      { path: "username", message: "Expected string." },
      { path: "password", message: "Expected string." },
    ]);
    const missing = await callJson("POST", "/v1/sessions", { body: {} });
    expect(missing.body.error.details).toEqual([
      { path: "username", message: "Required." },
      { path: "password", message: "Required." },
    ]);
  });

  it("takes empty query parameters as not sent, as the contract's own templates write them", async () => {
    const admin = await seedAndSignIn({ roles: ["global_admin"] });
    for (const path of ["/v1/admin/users?q=&group=&role=&cursor=&limit=", "/v1/admin/audit?type=&userId=&since=&until=&cursor=&limit=", "/v1/admin/reports/resets?since=&until="]) {
      const { status } = await callJson("GET", path, { token: admin.token });
      expect(status, path).toBe(200);
    }
    const all = await callJson("GET", "/v1/admin/users?limit=1000", { token: admin.token });
    const blank = await callJson("GET", "/v1/admin/users?q=&group=&limit=1000", { token: admin.token });
    expect(blank.body.users.length).toBe(all.body.users.length);
  });

  it("checks the caller before a body it cannot read, and keeps must-change sessions to their three routes", async () => {
    const user = await seedAndSignIn();
    const emptyJson = (path: string, token: string, method = "POST") => call(method, path, { token, raw: "", headers: { "content-type": "application/json" } });
    expect((await emptyJson("/v1/me/methods", "not-a-real-session-token-0000")).status).toBe(401);
    expect((await emptyJson("/v1/admin/users", user.token)).status).toBe(403);
    expect((await emptyJson("/v1/admin/policy", user.token, "PUT")).status).toBe(403);
    const signedIn = await emptyJson("/v1/me/methods", user.token);
    expect(signedIn.status).toBe(400);

    const forced = await seedAndSignIn({ mustChangePassword: true });
    const refused = await callJson("POST", "/v1/me/methods", { token: forced.token, body: { bogus: 1 } });
    expect(refused.status).toBe(403);
    expect(refused.body.error.code).toBe("password_change_required");
    expect((await callJson("POST", "/v1/me/registration/skip", { token: forced.token, body: { bogus: 1 } })).status).toBe(403);
    // The routes a must-change session may use still answer its bad input with 400.
    expect((await callJson("POST", "/v1/me/password", { token: forced.token, body: { bogus: 1 } })).status).toBe(400);
  });
});
