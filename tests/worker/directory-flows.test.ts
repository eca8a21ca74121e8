import { env } from "cloudflare:workers";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { Job, JobResult } from "../../shared/directory/protocol.js";
import { callJson, latestCode, seedAndSignIn, seedUser, STRONG_PASSWORD, uniqueName } from "./helpers.js";
import { NEW_PASSWORD, challenge, getReset, setPassword, startReset, verify } from "./reset-client.js";
import { seedDirectoryUser } from "./support/directory-sync.js";
import type { OpenSealed, TestAgent } from "./support/test-agent.js";
import { connectTestAgent } from "./support/test-agent.js";

/**
 * Every flow for a directory user, against the real agent channel: a test agent connected over a real
 * WebSocket answers each job as the test says, and records what it received (passwords opened with its
 * own key, so the test sees exactly what the agent would).
 */

type Seen = { job: Job; secrets: string[] };
type Respond = (job: Job, secrets: string[]) => JobResult | Promise<JobResult>;

let agent: TestAgent;
let respond: Respond;
let seen: Seen[];

const onJob = async (job: Job, open: OpenSealed) => {
  const secrets: string[] = [];
  if ("sealedSecret" in job) secrets.push(await open(job.sealedSecret));
  if (job.kind === "set_password" && job.sealedCurrent) secrets.push(await open(job.sealedCurrent));
  seen.push({ job, secrets });
  return respond(job, secrets);
};

const connect = async () => {
  agent = await connectTestAgent({ onJob });
};

beforeAll(connect);
afterAll(() => agent.close());
beforeEach(() => {
  respond = () => ({ ok: true });
  seen = [];
});

const refuse = (reason: Exclude<JobResult, { ok: true }>["reason"], message = "") => () => ({ ok: false as const, reason, message });

/** Runs `fn` with no agent connected, then connects a new one. */
async function withAgentStopped(fn: () => Promise<void>) {
  await agent.close();
  try {
    await fn();
  } finally {
    await connect();
  }
}

const all = async <T>(query: string, ...binds: unknown[]) => (await env.DB.prepare(query).bind(...binds).all<T>()).results;
const YEAR_MS = Date.UTC(2027, 0, 1) - Date.UTC(2026, 0, 1);
const row = async (id: string) => (await all<{ password_hash: string | null; password_changed_at: number | null; password_expires_at: number | null; must_change_password: number; last_sign_in_at: number | null }>(`select * from users where id = ?`, id))[0]!;
const lockout = async (username: string) => (await all<{ failures: number; locked_until: number }>(`select failures, locked_until from sign_in_lockouts where username = ?`, username))[0];
/** A response's headers as the contract compares answers: all but Date, and Server-Timing's entry names without their durations. */
const answerHeaders = (res: Response) =>
  [...res.headers].filter(([name]) => name !== "date").map(([name, value]) => [name, name === "server-timing" ? value.replace(/dur=[\d.]+/g, "") : value]);
const sessionsOf = async (id: string) => (await all(`select token_hash from sessions where user_id = ?`, id)).length;

const signInAs = (username: string, password = STRONG_PASSWORD) => callJson("POST", "/v1/sessions", { body: { username, password } });

async function directorySession() {
  const user = await seedDirectoryUser();
  const res = await signInAs(user.username);
  expect(res.status).toBe(201);
  seen = [];
  return { ...user, token: res.body.token as string };
}

describe("sign-in of a directory user (a bind through the agent)", () => {
  it("ok: a session; the agent got the typed password sealed, for the user's stable id and DN", async () => {
    const user = await seedDirectoryUser();
    const res = await signInAs(user.username.toUpperCase());
    expect(res.status).toBe(201);
    expect(res.body.user).toMatchObject({ id: user.id, source: "directory", mustChangePassword: false });
    expect(seen).toEqual([{ job: expect.objectContaining({ kind: "bind", user: { externalId: user.externalId, dn: user.dn } }), secrets: [STRONG_PASSWORD] }]);
    expect((await row(user.id)).password_hash).toBeNull();
    expect((await row(user.id)).last_sign_in_at).not.toBeNull();
    expect(await lockout(user.username)).toBeUndefined();
  });

  it("invalid_credentials, locked, disabled, not_found: the same 401 as an unknown user, counted as wrong", async () => {
    const unknown = await signInAs(uniqueName("nobody"));
    expect(unknown.status).toBe(401);
    for (const reason of ["invalid_credentials", "locked", "disabled", "not_found"] as const) {
      const user = await seedDirectoryUser();
      respond = refuse(reason, "AD says no");
      const res = await signInAs(user.username, `Wrong-${reason}-Password-123`);
      expect(res.status).toBe(401);
      expect(res.body).toEqual(unknown.body);
      expect((await lockout(user.username))!.failures).toBe(1);
    }
  });

  it("must_change and expired: a session that must change its password first", async () => {
    for (const reason of ["must_change", "expired"] as const) {
      const user = await seedDirectoryUser();
      respond = refuse(reason);
      const res = await signInAs(user.username);
      expect(res.status).toBe(201);
      expect(res.body.user.mustChangePassword).toBe(true);
      expect((await row(user.id)).must_change_password).toBe(1);
      const blocked = await callJson("GET", "/v1/me/methods", { token: res.body.token });
      expect(blocked.body.error.code).toBe("password_change_required");
    }
  });

  it("a directory error: 503 directory_unavailable, and the attempt is not counted", async () => {
    const user = await seedDirectoryUser();
    respond = refuse("error", "LDAP server down");
    const res = await signInAs(user.username);
    expect(res.status).toBe(503);
    expect(res.body.error.code).toBe("directory_unavailable");
    expect((await lockout(user.username))!.failures).toBe(0);
  });

  it("smart lockout is counted first: a locked name never reaches the directory", async () => {
    const user = await seedDirectoryUser();
    respond = refuse("invalid_credentials");
    for (let i = 0; i < 10; i++) expect((await signInAs(user.username, `Wrong-Guess-Number-${i}-xx`)).status).toBe(401);
    expect(seen).toHaveLength(10);
    respond = () => ({ ok: true });
    const locked = await signInAs(user.username);
    expect(locked.status).toBe(429);
    expect(seen).toHaveLength(10);
  });

  it("a native account's right password sends no job; a failed sign-in that reached no directory sends a decoy bind (not with the typed password), so it takes a directory's round trips too", async () => {
    const native = await seedUser();
    expect((await signInAs(native.username, native.password)).status).toBe(201);
    expect(seen).toEqual([]);
    const disabled = await seedDirectoryUser({ disabled: true });
    for (const [name, password] of [[uniqueName("ghost"), "Ghost-Password-123"], [disabled.username, "Disabled-Password-123"], [native.username, "Not-The-Native-Password-1"]]) {
      seen = [];
      respond = refuse("not_found");
      expect((await signInAs(name!, password)).status).toBe(401);
      expect(seen).toEqual([{ job: expect.objectContaining({ kind: "bind", user: { externalId: expect.stringMatching(/^[0-9a-f-]{36}$/), dn: "cn=opensspr-decoy" } }), secrets: [expect.any(String)] }]);
      // Not the password typed (a near miss of a native admin's, say): random text of its length.
      expect(seen[0]!.secrets[0]).not.toBe(password);
      expect(seen[0]!.secrets[0]).toHaveLength(password!.length);
      expect(seen[0]!.job.kind === "bind" && seen[0]!.job.user.externalId).not.toBe(disabled.externalId);
    }
  });

  it("a directory user's wrong password and an unknown name get the same status, body and headers (Server-Timing's entries included)", async () => {
    const user = await seedDirectoryUser();
    respond = refuse("invalid_credentials");
    const known = await signInAs(user.username, "Wrong-Directory-Password-1");
    respond = refuse("not_found");
    const ghost = await signInAs(uniqueName("ghost"), "Wrong-Directory-Password-1");
    expect(ghost.status).toBe(known.status);
    expect(ghost.body).toEqual(known.body);
    expect(answerHeaders(ghost.res)).toEqual(answerHeaders(known.res));
  });

  it("no agent connected: 503 directory_unavailable, counted like any failed sign-in", async () => {
    const user = await seedDirectoryUser();
    await withAgentStopped(async () => {
      const res = await signInAs(user.username);
      expect(res.status).toBe(503);
      expect(res.body.error.code).toBe("directory_unavailable");
    });
    expect((await lockout(user.username))!.failures).toBe(1);
    expect(seen).toEqual([]);
  });

  it("no agent connected: an unknown or disabled name and a native account's wrong password get the directory user's 503 and the same count, so no name is told apart", async () => {
    const user = await seedDirectoryUser();
    const disabled = await seedDirectoryUser({ disabled: true });
    const native = await seedUser();
    const ghost = uniqueName("ghost");
    await withAgentStopped(async () => {
      const known = await signInAs(user.username);
      for (const [name, password] of [[ghost, STRONG_PASSWORD], [disabled.username, STRONG_PASSWORD], [native.username, "Not-The-Native-Password-1"]]) {
        const res = await signInAs(name!, password);
        expect(res.status).toBe(503);
        expect(res.body).toEqual(known.body);
        expect(answerHeaders(res.res)).toEqual(answerHeaders(known.res));
      }
      for (const name of [user.username, ghost, disabled.username, native.username]) expect((await lockout(name))!.failures).toBe(1);
      // The break-glass admin is native: it signs in whatever the agent does.
      expect((await signInAs(native.username, native.password)).status).toBe(201);
    });
    expect(seen).toEqual([]);
  });
});

describe("re-authentication of a directory user", () => {
  it("ok → fresh; a wrong password → 401 counted; an error → 503 not counted", async () => {
    const user = await directorySession();
    const reauth = (password: string) => callJson("POST", "/v1/sessions/current/reauth", { token: user.token, body: { password } });
    expect((await reauth(STRONG_PASSWORD)).status).toBe(200);
    expect(seen[0]).toMatchObject({ job: { kind: "bind" }, secrets: [STRONG_PASSWORD] });
    respond = refuse("invalid_credentials");
    expect((await reauth("Wrong-Password-For-Reauth-1")).status).toBe(401);
    expect((await lockout(user.username))!.failures).toBe(1);
    respond = refuse("error", "timeout");
    const down = await reauth(STRONG_PASSWORD);
    expect(down.status).toBe(503);
    expect((await lockout(user.username))!.failures).toBe(1);
  });
});

/** A directory user's reset, verified with the seeded email method. */
async function verifiedReset() {
  const user = await seedDirectoryUser();
  const reset = await startReset(user.username);
  expect((await challenge(reset, user.emailMethodId)).status).toBe(202);
  const verified = await verify(reset, { methodId: user.emailMethodId, code: await latestCode(user.emailTarget) });
  expect(verified.body.status).toBe("verified");
  seen = [];
  return { user, reset };
}

describe("reset completion for a directory user", () => {
  it("ok: the agent sets it (mode reset), then sessions, lockout and the reset are settled without a hash", async () => {
    const { user, reset } = await verifiedReset();
    await env.DB.prepare(`insert into sessions (token_hash, user_id, created_at, expires_at) values (?, ?, ?, ?)`).bind(`h-${user.id}`, user.id, Date.now(), Date.now() + 60_000).run();
    await env.DB.prepare(`insert into sign_in_lockouts (username, failures, updated_at) values (?, 3, ?)`).bind(user.username, Date.now()).run();
    const res = await setPassword(reset);
    expect(res.status).toBe(200);
    expect(res.body.status).toBe("completed");
    expect(seen).toEqual([{ job: expect.objectContaining({ kind: "set_password", mode: "reset", mustChange: false, user: { externalId: user.externalId, dn: user.dn } }), secrets: [NEW_PASSWORD] }]);
    const after = await row(user.id);
    expect(after.password_hash).toBeNull();
    expect(after.password_changed_at).toBeGreaterThan(Date.now() - 60_000);
    // The directory's maximum age (a year in the seed) counts from the new password.
    expect(after.password_expires_at! - after.password_changed_at!).toBe(YEAR_MS);
    expect(await sessionsOf(user.id)).toBe(0);
    expect(await lockout(user.username)).toBeUndefined();
    expect((await all(`select type from audit_events where subject_id = ? and type = 'reset.completed'`, user.id)).length).toBe(1);
  });

  it("the worker's own rules first: a weak password never reaches the agent", async () => {
    const { reset } = await verifiedReset();
    const res = await setPassword(reset, "short");
    expect(res.status).toBe(422);
    expect(seen).toEqual([]);
  });

  it("policy: 422 with the directory's words as rule 'directory'; the reset stays verified and a second password works", async () => {
    const { user, reset } = await verifiedReset();
    const before = await row(user.id);
    respond = refuse("policy", "The password was used recently (history of 24).");
    const refused = await setPassword(reset);
    expect(refused.status).toBe(422);
    expect(refused.body.error).toMatchObject({ code: "password_policy", details: [{ rule: "directory", message: "The password was used recently (history of 24)." }] });
    expect((await getReset(reset)).body.status).toBe("verified");
    expect(await row(user.id)).toEqual(before);
    respond = () => ({ ok: true });
    expect((await setPassword(reset, "Another-Fresh-Password-2026")).status).toBe(200);
  });

  it("unavailable: 503, nothing changed, the reset stays verified", async () => {
    const { user, reset } = await verifiedReset();
    const before = await row(user.id);
    await withAgentStopped(async () => {
      const res = await setPassword(reset);
      expect(res.status).toBe(503);
      expect(res.body.error.code).toBe("directory_unavailable");
    });
    expect((await getReset(reset)).body.status).toBe("verified");
    expect(await row(user.id)).toEqual(before);
    expect((await setPassword(reset)).status).toBe(200);
  });

  it("two completions at once: exactly one job reaches the directory", async () => {
    const { reset } = await verifiedReset();
    respond = async () => {
      await new Promise((r) => setTimeout(r, 300));
      return { ok: true };
    };
    const both = await Promise.all([setPassword(reset), setPassword(reset, "Second-Concurrent-Password-77")]);
    expect(both.map((r) => r.status).sort()).toEqual([200, 409]);
    expect(seen.filter((s) => s.job.kind === "set_password")).toHaveLength(1);
    expect((await setPassword(reset)).body.error.code).toBe("reset_completed");
  });
});

describe("self-service change for a directory user", () => {
  const change = (token: string, currentPassword: string, newPassword: string) => callJson("POST", "/v1/me/password", { token, body: { currentPassword, newPassword } });

  it("ok: mode change with the current password; other sessions go, this one stays", async () => {
    const user = await directorySession();
    const other = await signInAs(user.username);
    seen = [];
    const res = await change(user.token, STRONG_PASSWORD, NEW_PASSWORD);
    expect(res.status).toBe(204);
    expect(seen).toEqual([{ job: expect.objectContaining({ kind: "set_password", mode: "change", mustChange: false }), secrets: [NEW_PASSWORD, STRONG_PASSWORD] }]);
    expect((await callJson("GET", "/v1/me", { token: other.body.token })).status).toBe(401);
    expect((await callJson("GET", "/v1/me", { token: user.token })).status).toBe(200);
    expect((await row(user.id)).password_hash).toBeNull();
  });

  it("wrong_current: the same answer as a wrong current password, counted", async () => {
    const user = await directorySession();
    respond = refuse("wrong_current");
    const res = await change(user.token, "Not-The-Current-Password-1", NEW_PASSWORD);
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe("invalid_current_password");
    expect((await lockout(user.username))!.failures).toBe(1);
  });

  it("policy: 422 rule 'directory'; the worker's rules first, with no job", async () => {
    const user = await directorySession();
    respond = refuse("policy", "Too similar to your name.");
    const res = await change(user.token, STRONG_PASSWORD, NEW_PASSWORD);
    expect(res.status).toBe(422);
    expect(res.body.error.details).toEqual([{ rule: "directory", message: "Too similar to your name." }]);
    seen = [];
    expect((await change(user.token, STRONG_PASSWORD, "weak")).status).toBe(422);
    expect(seen).toEqual([]);
    expect((await lockout(user.username))?.failures ?? 0).toBe(0);
  });

  it("the same password again: a bind proves the current one first, then 422", async () => {
    const user = await directorySession();
    const res = await change(user.token, STRONG_PASSWORD, STRONG_PASSWORD);
    expect(res.status).toBe(422);
    expect(res.body.error.details[0].rule).toBe("history");
    expect(seen.map((s) => s.job.kind)).toEqual(["bind"]);
    respond = refuse("invalid_credentials");
    const guess = await change(user.token, "Guessed-Password-Again-1", "Guessed-Password-Again-1");
    expect(guess.status).toBe(400);
  });

  it("unavailable: 503 and nothing changed", async () => {
    const user = await directorySession();
    const before = await row(user.id);
    respond = refuse("error", "LDAP timeout");
    const res = await change(user.token, STRONG_PASSWORD, NEW_PASSWORD);
    expect(res.status).toBe(503);
    expect(await row(user.id)).toEqual(before);
  });
});

describe("admin actions on a directory user", () => {
  let admin: { token: string };
  beforeAll(async () => {
    admin = await seedAndSignIn({ roles: ["global_admin"] });
  });

  it("password set: mode admin with mustChange; the answer only after the directory's", async () => {
    const user = await seedDirectoryUser();
    const res = await callJson("POST", `/v1/admin/users/${user.id}/password`, { token: admin.token, body: {} });
    expect(res.status).toBe(200);
    expect(seen).toEqual([{ job: expect.objectContaining({ kind: "set_password", mode: "admin", mustChange: true }), secrets: [res.body.temporaryPassword] }]);
    expect(await row(user.id)).toMatchObject({ must_change_password: 1, password_hash: null });

    respond = refuse("policy", "Must not contain the account name.");
    const refused = await callJson("POST", `/v1/admin/users/${user.id}/password`, { token: admin.token, body: { password: NEW_PASSWORD } });
    expect(refused.status).toBe(422);
    expect(refused.body.error.details).toEqual([{ rule: "directory", message: "Must not contain the account name." }]);
  });

  it("password set and unlock with no agent: 503, nothing changed", async () => {
    const user = await seedDirectoryUser();
    await env.DB.prepare(`insert into sign_in_lockouts (username, failures, locked_until, updated_at) values (?, 10, ?, ?)`).bind(user.username, Date.now() + 60_000, Date.now()).run();
    const before = await row(user.id);
    await withAgentStopped(async () => {
      const set = await callJson("POST", `/v1/admin/users/${user.id}/password`, { token: admin.token, body: {} });
      expect(set.status).toBe(503);
      const unlock = await callJson("POST", `/v1/admin/users/${user.id}/unlock`, { token: admin.token });
      expect(unlock.status).toBe(503);
      expect(unlock.body.error.code).toBe("directory_unavailable");
    });
    expect(await row(user.id)).toEqual(before);
    expect((await lockout(user.username))!.failures).toBe(10);
  });

  it("unlock: an unlock job, then the worker's lockout cleared", async () => {
    const user = await seedDirectoryUser();
    await env.DB.prepare(`insert into sign_in_lockouts (username, failures, locked_until, updated_at) values (?, 10, ?, ?)`).bind(user.username, Date.now() + 60_000, Date.now()).run();
    const res = await callJson("POST", `/v1/admin/users/${user.id}/unlock`, { token: admin.token });
    expect(res.status).toBe(204);
    expect(seen).toEqual([{ job: { kind: "unlock", user: { externalId: user.externalId, dn: user.dn } }, secrets: [] }]);
    expect(await lockout(user.username)).toBeUndefined();
  });

  it("directory-owned fields are 409 managed_by_directory; clearing methods is allowed; a created user is native", async () => {
    const user = await seedDirectoryUser();
    for (const patch of [{ displayName: "X" }, { groups: ["a"] }, { disabled: true }, { roles: ["password_admin"] }]) {
      const res = await callJson("PATCH", `/v1/admin/users/${user.id}`, { token: admin.token, body: patch });
      expect(res.status).toBe(409);
      expect(res.body.error.code).toBe("managed_by_directory");
    }
    expect((await callJson("DELETE", `/v1/admin/users/${user.id}/methods`, { token: admin.token })).status).toBe(204);
    const created = await callJson("POST", "/v1/admin/users", { token: admin.token, body: { username: uniqueName("made"), displayName: "Made Here" } });
    expect(created.status).toBe(201);
    expect(created.body.user.source).toBe("native");
    expect(seen).toEqual([]);
  });
});
