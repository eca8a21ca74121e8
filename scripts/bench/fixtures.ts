/**
 * State the benchmark needs, made through the API as a client would: an admin session, many users
 * (one admin import, no passwords, so no KDF run per user), users with an authenticator app.
 */
import { decodeBase32IgnorePadding } from "@oslojs/encoding";
import { generateHOTP } from "@oslojs/otp";
import { DEMO_ACCOUNTS } from "../seed-demo.js";
import type { Client, Reply } from "./http.js";
import { outcomeOf } from "./http.js";

export const BENCH_PASSWORD = "quiver-marble-tandem-velvet-57";

export const demoAdmin = DEMO_ACCOUNTS.find((a) => a.roles.includes("global_admin"))!;

export class FixtureError extends Error {}

export function expectStatus(reply: Reply & { body?: unknown }, status: number, what: string): void {
  if (reply.status !== status) throw new FixtureError(`${what}: expected ${status}, got ${outcomeOf(reply)}`);
}

export async function signIn(client: Client, username: string, password: string): Promise<string> {
  const reply = await client.json("POST", "/v1/sessions", { body: { username, password } });
  expectStatus(reply, 201, `sign-in of ${username}`);
  return reply.body.token as string;
}

/** A distinct synthetic client address per index (10.x.y.z): wrangler dev passes a client-sent CF-Connecting-IP through. */
export const clientIp = (i: number) => `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`;

/** The current RFC 6238 code (SHA-1, 6 digits, 30 s), optionally some steps back. */
export function totpCode(secret: string, stepsBack = 0): string {
  const step = Math.floor(Date.now() / 1000 / 30) - stepsBack;
  return generateHOTP(decodeBase32IgnorePadding(secret), BigInt(step), 6);
}

export interface ImportedUsers {
  usernames: string[];
  /** How they were made, for the report. */
  via: string;
  ms: number;
}

/**
 * `count` users with an active email method (their username is their address). One
 * `POST /v1/admin/users/import` per 400 rows (the 64 KiB body limit); rows carry no password, so the
 * import costs no KDF run. Falls back to `POST /v1/admin/users` (one KDF run each) within a time budget.
 */
export async function importUsers(client: Client, adminToken: string, tag: string, count: number): Promise<ImportedUsers> {
  const start = performance.now();
  const usernames = Array.from({ length: count }, (_, i) => `bench-${tag}-u${i}@bench.example`);
  const rows = usernames.map((u, i) => ({ username: u, displayName: `Bench User ${i}`, email: u }));
  const created: string[] = [];
  for (let i = 0; i < rows.length; i += 400) {
    const chunk = rows.slice(i, i + 400);
    const reply = await client.json("POST", "/v1/admin/users/import", { token: adminToken, body: { users: chunk } });
    if (reply.status === 404 || reply.status === 405) {
      if (i > 0) break;
      return createOneByOne(client, adminToken, rows, start);
    }
    expectStatus(reply, 200, "user import");
    const failed = new Set((reply.body.errors as { index: number }[]).map((e) => e.index));
    chunk.forEach((row, j) => {
      if (!failed.has(j)) created.push(row.username);
    });
  }
  return { usernames: created, via: "POST /v1/admin/users/import (no passwords, so no KDF per user)", ms: performance.now() - start };
}

async function createOneByOne(client: Client, adminToken: string, rows: { username: string; displayName: string; email: string }[], start: number): Promise<ImportedUsers> {
  const created: string[] = [];
  for (const row of rows) {
    if (performance.now() - start > 30_000) break;
    const reply = await client.json("POST", "/v1/admin/users", { token: adminToken, body: row });
    if (reply.status !== 201) break;
    created.push(row.username);
  }
  return { usernames: created, via: "POST /v1/admin/users one by one (import not implemented; 30 s budget)", ms: performance.now() - start };
}

export interface TotpUser {
  username: string;
  token: string;
  methodId: string;
  secret: string;
}

/**
 * A user with only an authenticator app: created with a password (one KDF run), signed in (another),
 * the app registered and verified with the previous step's code, leaving the current step unused.
 */
export async function createTotpUser(client: Client, adminToken: string, username: string): Promise<TotpUser> {
  const made = await client.json("POST", "/v1/admin/users", { token: adminToken, body: { username, displayName: "Bench Authenticator", password: BENCH_PASSWORD } });
  expectStatus(made, 201, `create ${username}`);
  const token = await signIn(client, username, BENCH_PASSWORD);
  const added = await client.json("POST", "/v1/me/methods", { token, body: { type: "totp", label: "bench" } });
  expectStatus(added, 201, "add authenticator");
  const methodId = added.body.method.id as string;
  const secret = added.body.secret as string;
  const verified = await client.json("POST", `/v1/me/methods/${methodId}/verify`, { token, body: { code: totpCode(secret, 1) } });
  expectStatus(verified, 200, "verify authenticator");
  return { username, token, methodId, secret };
}

export interface StartedReset {
  username: string;
  resetId: string;
  token: string;
  methodId: string;
  methodType: string;
}

/** The reset from a 201 of POST /v1/resets. */
export function startedReset(username: string, body: any): StartedReset | null {
  if (!body?.resetId || !body?.resetToken || !Array.isArray(body.methods) || body.methods.length === 0) return null;
  return { username, resetId: body.resetId, token: body.resetToken, methodId: body.methods[0].id, methodType: body.methods[0].type };
}

export async function startReset(client: Client, username: string, ip: string): Promise<StartedReset> {
  const reply = await client.json("POST", "/v1/resets", { body: { username }, headers: { "cf-connecting-ip": ip } });
  expectStatus(reply, 201, `start a reset for ${username}`);
  const reset = startedReset(username, reply.body);
  if (!reset) throw new FixtureError(`start a reset for ${username}: no usable method in the answer`);
  return reset;
}

/** The newest code the dev outbox holds for an address. */
export async function outboxCode(client: Client, to: string): Promise<string> {
  const reply = await client.json("GET", `/v1/dev/outbox?to=${encodeURIComponent(to)}`);
  expectStatus(reply, 200, "read the dev outbox");
  const code = reply.body.messages?.[0]?.code;
  if (typeof code !== "string") throw new FixtureError(`no code in the dev outbox for ${to}`);
  return code;
}
