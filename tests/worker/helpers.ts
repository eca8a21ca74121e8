import { searchFold } from "../../shared/username.js";
import { env, exports } from "cloudflare:workers";
import { hashPassword, KDF_PROFILES } from "../../worker/src/crypto/password-hash.js";
import { newId } from "../../worker/src/crypto/random.js";

export const BASE = "http://127.0.0.1:8787";

export interface CallOptions {
  body?: unknown;
  token?: string;
  headers?: Record<string, string>;
  raw?: BodyInit;
  /** The client address (cf-connecting-ip); null sends none. A header in `headers` wins. */
  clientIp?: string | null;
}

let clients = 0;
/**
 * A client address of its own (a /64 of the documentation prefix) for each call that names none: the
 * worker limits requests per client, and requests without an address share one key, so without this
 * every call of a test file would draw on one allowance.
 */
const freshClient = () => {
  clients++;
  return `2001:db8:${(clients >> 16).toString(16)}:${(clients & 0xffff).toString(16)}::1`;
};

/** One request to the worker, as an outside client would send it. */
export async function call(method: string, path: string, opts: CallOptions = {}): Promise<Response> {
  const headers: Record<string, string> = { ...opts.headers };
  const clientIp = opts.clientIp === undefined ? freshClient() : opts.clientIp;
  if (clientIp !== null && !Object.keys(headers).some((h) => h.toLowerCase() === "cf-connecting-ip")) headers["cf-connecting-ip"] = clientIp;
  if (opts.token) headers.authorization = `Bearer ${opts.token}`;
  let body: BodyInit | undefined = opts.raw;
  if (opts.body !== undefined) {
    body = JSON.stringify(opts.body);
    headers["content-type"] ??= "application/json";
  }
  return exports.default.fetch(new Request(`${BASE}${path}`, { method, headers, body }));
}

export async function callJson<T = any>(method: string, path: string, opts: CallOptions = {}): Promise<{ status: number; body: T; res: Response }> {
  const res = await call(method, path, opts);
  const text = await res.text();
  return { status: res.status, body: (text ? JSON.parse(text) : null) as T, res };
}

let counter = 0;
/** A username no other test uses, so tests never see each other's rows. */
export const uniqueName = (stem = "user") => `${stem}.${Date.now().toString(36)}${(counter++).toString(36)}@example.com`;

export const STRONG_PASSWORD = "Correct-Horse-Battery-Staple-42";

export interface SeedUser {
  username?: string;
  displayName?: string;
  password?: string;
  roles?: string[];
  groups?: string[];
  disabled?: boolean;
  mustChangePassword?: boolean;
}

/** Writes a user straight into D1 (what an admin or the seed would have done). */
export async function seedUser(u: SeedUser = {}) {
  const id = newId("usr");
  const username = u.username ?? uniqueName();
  const password = u.password ?? STRONG_PASSWORD;
  const now = Date.now();
  await env.DB.prepare(
    `insert into users (id, username, display_name, display_name_folded, roles, groups, disabled, must_change_password, password_hash, password_history, password_changed_at, created_at)
     values (?, ?, ?, ?, ?, ?, ?, ?, ?, '[]', ?, ?)`,
  )
    .bind(id, username, u.displayName ?? "Test User", searchFold(u.displayName ?? "Test User"), JSON.stringify(u.roles ?? ["user"]), JSON.stringify(u.groups ?? []), u.disabled ? 1 : 0, u.mustChangePassword ? 1 : 0, hashPassword(password, KDF_PROFILES.test), now, now)
    .run();
  return { id, username, password };
}

export async function signIn(username: string, password: string): Promise<string> {
  const { status, body } = await callJson("POST", "/v1/sessions", { body: { username, password } });
  if (status !== 201) throw new Error(`sign-in failed: ${status} ${JSON.stringify(body)}`);
  return body.token;
}

export async function seedAndSignIn(u: SeedUser = {}) {
  const user = await seedUser(u);
  return { ...user, token: await signIn(user.username, user.password) };
}

/** The newest code sent to an address or number, from the dev outbox. */
export async function latestCode(to: string): Promise<string> {
  const { body } = await callJson("GET", `/v1/dev/outbox?to=${encodeURIComponent(to)}`);
  const code = body.messages[0]?.code;
  if (!code) throw new Error(`no code in the outbox for ${to}`);
  return code;
}

export async function setClock(offsetSeconds: number) {
  await callJson("POST", "/v1/dev/clock", { body: { offsetSeconds } });
}

/** Re-proves a session's password (it is fresh for 10 minutes), for tests that move the clock and then change methods. */
export async function reauth(token: string, password: string) {
  const { status, body } = await callJson("POST", "/v1/sessions/current/reauth", { token, body: { password } });
  if (status !== 200) throw new Error(`reauth failed: ${status} ${JSON.stringify(body)}`);
}

/** The current TOTP code (RFC 6238, SHA-1, 6 digits, 30 s) for a base32 secret, at an optional clock offset. */
export async function totpCode(secret: string, offsetSeconds = 0, stepsBack = 0): Promise<string> {
  // A past step is accepted only while it is the previous one: never compute one in a step's last
  // second, or the worker may already be a step further when the request arrives.
  const intoStep = (Date.now() + offsetSeconds * 1000) % 30_000;
  if (stepsBack > 0 && intoStep > 29_000) await new Promise((r) => setTimeout(r, 30_000 - intoStep + 50));
  const { decodeBase32IgnorePadding } = await import("@oslojs/encoding");
  const { generateHOTP } = await import("@oslojs/otp");
  const step = Math.floor((Date.now() / 1000 + offsetSeconds) / 30) - stepsBack;
  return generateHOTP(decodeBase32IgnorePadding(secret), BigInt(step), 6);
}

/** Patches the policy as a fresh global admin (each test file has its own database). */
export async function patchPolicy(patch: unknown) {
  const admin = await seedAndSignIn({ roles: ["global_admin"] });
  const res = await callJson("PATCH", "/v1/admin/policy", { token: admin.token, body: patch });
  if (res.status !== 200) throw new Error(`policy patch failed: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body;
}

// --- admin tests (issue 5) ---

export interface SeedMethod {
  type?: "email" | "sms" | "totp" | "security_questions";
  status?: "pending" | "active";
  target?: string | null;
}

/** Writes a recovery method straight into D1, as registration would have. */
export async function seedMethod(userId: string, m: SeedMethod = {}) {
  const id = newId("mth");
  const now = Date.now();
  const status = m.status ?? "active";
  await env.DB.prepare(
    `insert into recovery_methods (id, user_id, type, status, target, hint, created_at, verified_at) values (?, ?, ?, ?, ?, ?, ?, ?)`,
  )
    .bind(id, userId, m.type ?? "email", status, m.target ?? null, "•••", now, status === "active" ? now : null)
    .run();
  return id;
}

export interface SeedAudit {
  type: string;
  at?: number;
  actorId?: string | null;
  subjectId?: string | null;
  ip?: string | null;
  outcome?: "success" | "failure";
  detail?: Record<string, unknown>;
}

/** Writes audit rows straight into D1 (what the reset and registration flows would have logged). */
export async function seedAudit(rows: SeedAudit[]) {
  const statement = env.DB.prepare(`insert into audit_events (at, type, actor_id, subject_id, ip, outcome, detail) values (?, ?, ?, ?, ?, ?, ?)`);
  await env.DB.batch(
    rows.map((r) =>
      statement.bind(r.at ?? Date.now(), r.type, r.actorId ?? null, r.subjectId ?? null, r.ip ?? null, r.outcome ?? "success", JSON.stringify(r.detail ?? {})),
    ),
  );
}

/** Registers and verifies an email method for a signed-in user. */
export async function registerEmail(token: string, email = uniqueName("mail")) {
  const added = await callJson("POST", "/v1/me/methods", { token, body: { type: "email", email } });
  if (added.status !== 201) throw new Error(`add email: ${added.status} ${JSON.stringify(added.body)}`);
  const verified = await callJson("POST", `/v1/me/methods/${added.body.method.id}/verify`, { token, body: { code: await latestCode(email) } });
  if (verified.status !== 200) throw new Error(`verify email: ${verified.status}`);
  return { id: added.body.method.id as string, email };
}

/** Registers and verifies an authenticator app one step in the past, leaving the current step unused. */
export async function registerTotp(token: string) {
  const added = await callJson("POST", "/v1/me/methods", { token, body: { type: "totp" } });
  const verified = await callJson("POST", `/v1/me/methods/${added.body.method.id}/verify`, { token, body: { code: await totpCode(added.body.secret, 0, 1) } });
  if (verified.status !== 200) throw new Error(`verify totp: ${verified.status} ${JSON.stringify(verified.body)}`);
  return { id: added.body.method.id as string, secret: added.body.secret as string };
}
