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
}

async function operations(): Promise<Operation[]> {
  const { body } = await callJson("GET", "/v1/openapi.json");
  const ops: Operation[] = [];
  for (const [path, item] of Object.entries<Record<string, { requestBody?: unknown }>>(body.paths)) {
    for (const [method, op] of Object.entries(item)) {
      ops.push({ method: method.toUpperCase(), path: path.replace(/\{[^}]+\}/g, "x_unknown_id"), hasBody: !!op.requestBody });
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
});
