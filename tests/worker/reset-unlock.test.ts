import { env } from "cloudflare:workers";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { Job, JobResult } from "../../shared/directory/protocol.js";
import { call, callJson, latestCode, patchPolicy, STRONG_PASSWORD, uniqueName } from "./helpers.js";
import { challenge, registeredUser, setPassword, verify } from "./reset-client.js";
import { seedDirectoryUser } from "./support/directory-sync.js";
import { connectTestAgent } from "./support/test-agent.js";
import type { TestAgent } from "./support/test-agent.js";

/** Issue 15: self-service unlock, a reset of purpose "unlock" that clears the sign-in lockout and keeps the password. */

const start = (username: string, purpose?: string) => callJson("POST", "/v1/resets", { body: purpose ? { username, purpose } : { username } });
const unlock = (reset: { resetId: string; resetToken: string }) => callJson("POST", `/v1/resets/${reset.resetId}/unlock`, { token: reset.resetToken });
const signInAs = (username: string, password = STRONG_PASSWORD) => callJson("POST", "/v1/sessions", { body: { username, password } });

async function lockOut(username: string) {
  for (let i = 0; i < 10; i++) await signInAs(username, `Wrong-Password-Number-${i}`);
  const locked = await signInAs(username);
  expect(locked.status).toBe(429);
}

/** A verified reset of `purpose` for a user with an email method. */
async function verifiedReset(username: string, methodId: string, email: string, purpose = "unlock") {
  const started = await start(username, purpose);
  expect(started.status).toBe(201);
  expect(started.body.purpose).toBe(purpose);
  expect((await challenge(started.body, methodId)).status).toBe(202);
  const verified = await verify(started.body, { methodId, code: await latestCode(email) });
  expect(verified.status).toBe(200);
  expect(verified.body.status).toBe("verified");
  return started.body;
}

const auditCount = async (type: string, subjectId: string) =>
  (await env.DB.prepare("select count(*) as n from audit_events where type = ? and subject_id = ?").bind(type, subjectId).first<{ n: number }>())!.n;

describe("self-service unlock", () => {
  it("clears the sign-in lockout, keeps the password and the sessions, audits and notifies", async () => {
    const user = await registeredUser();
    await lockOut(user.username);
    const reset = await verifiedReset(user.username, user.email.id, user.email.email);
    const res = await unlock(reset);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ resetId: reset.resetId, purpose: "unlock", status: "completed" });
    expect((await signInAs(user.username)).status).toBe(201);
    expect((await callJson("GET", "/v1/me", { token: user.token })).status).toBe(200);
    expect(await auditCount("reset.unlocked", user.id)).toBe(1);
    expect(await auditCount("reset.completed", user.id)).toBe(0);
    const mail = (await callJson("GET", `/v1/dev/outbox?to=${encodeURIComponent(user.email.email)}`)).body.messages[0];
    expect(mail.subject).toBe("Demo Org: your account was unlocked");
    const again = await unlock(reset);
    expect(again.status).toBe(409);
    expect(again.body.error.code).toBe("reset_completed");
  });

  it("before verification: 409 not_verified; a reset of purpose reset: 409 unlock_not_allowed (and may still set a password)", async () => {
    const user = await registeredUser();
    const unverified = (await start(user.username, "unlock")).body;
    const early = await unlock(unverified);
    expect(early.status).toBe(409);
    expect(early.body.error.code).toBe("not_verified");
    const reset = await verifiedReset(user.username, user.email.id, user.email.email, "reset");
    const refused = await unlock(reset);
    expect(refused.status).toBe(409);
    expect(refused.body.error.code).toBe("unlock_not_allowed");
    expect((await setPassword(reset)).status).toBe(200);
  });

  it("an unverified unlock with a bad token is 401; an unknown purpose is 400", async () => {
    const user = await registeredUser();
    const reset = (await start(user.username, "unlock")).body;
    expect((await unlock({ ...reset, resetToken: "x".repeat(43) })).status).toBe(401);
    const bad = await start(user.username, "delete");
    expect(bad.status).toBe(400);
    expect(bad.body.error.code).toBe("invalid_request");
  });

  it("answers unknown users exactly as a reset start does", async () => {
    const ghost = uniqueName("ghost");
    const asReset = await call("POST", "/v1/resets", { body: { username: ghost }, clientIp: "198.51.100.7" });
    const asUnlock = await call("POST", "/v1/resets", { body: { username: ghost, purpose: "unlock" }, clientIp: "198.51.100.7" });
    expect(asUnlock.status).toBe(200);
    expect(await asUnlock.text()).toBe(await asReset.text());
  });

  it("lets exactly one of 10 concurrent unlocks act", async () => {
    const user = await registeredUser();
    await lockOut(user.username);
    const reset = await verifiedReset(user.username, user.email.id, user.email.email);
    const answers = await Promise.all(Array.from({ length: 10 }, () => unlock(reset)));
    expect(answers.filter((a) => a.status === 200)).toHaveLength(1);
    for (const a of answers.filter((a) => a.status !== 200)) {
      expect(a.status).toBe(409);
      expect(a.body.error.code).toBe("reset_completed");
    }
    expect(await auditCount("reset.unlocked", user.id)).toBe(1);
    const mails = (await callJson("GET", `/v1/dev/outbox?to=${encodeURIComponent(user.email.email)}`)).body.messages;
    expect(mails.filter((m: { subject: string }) => m.subject.endsWith("unlocked"))).toHaveLength(1);
  });

  it("a failed check counts toward the block as in a reset", async () => {
    const user = await registeredUser();
    const reset = (await start(user.username, "unlock")).body;
    await challenge(reset, user.email.id);
    const wrong = await verify(reset, { methodId: user.email.id, code: "00000000" });
    expect(wrong.status).toBe(400);
    expect(wrong.body.error).toMatchObject({ code: "invalid_code", details: [{ attemptsLeft: 4 }] });
  });

  describe("with selfServiceReset.allowUnlock off", () => {
    beforeAll(() => patchPolicy({ selfServiceReset: { allowUnlock: false } }));
    afterAll(() => patchPolicy({ selfServiceReset: { allowUnlock: true } }));

    it("a start with purpose unlock is 409 unlock_not_allowed, the same for known and unknown users; a reset still works", async () => {
      const user = await registeredUser();
      const known = await call("POST", "/v1/resets", { body: { username: user.username, purpose: "unlock" }, clientIp: "198.51.100.8" });
      const unknown = await call("POST", "/v1/resets", { body: { username: uniqueName("ghost"), purpose: "unlock" }, clientIp: "198.51.100.8" });
      expect(known.status).toBe(409);
      const body = await known.text();
      expect(JSON.parse(body).error.code).toBe("unlock_not_allowed");
      expect(await unknown.text()).toBe(body);
      expect((await start(user.username)).status).toBe(201);
    });
  });

  it("an unlock reset started before the switch went off is refused at /unlock", async () => {
    const user = await registeredUser();
    const reset = await verifiedReset(user.username, user.email.id, user.email.email);
    await patchPolicy({ selfServiceReset: { allowUnlock: false } });
    try {
      const res = await unlock(reset);
      expect(res.status).toBe(409);
      expect(res.body.error.code).toBe("unlock_not_allowed");
    } finally {
      await patchPolicy({ selfServiceReset: { allowUnlock: true } });
    }
  });
});

describe("self-service unlock of a directory user", () => {
  let agent: TestAgent | null = null;
  let respond: (job: Job) => JobResult = () => ({ ok: true });
  let seen: Job[] = [];
  const connect = async () => {
    agent = await connectTestAgent({ onJob: (job) => (seen.push(job), respond(job)) });
  };
  beforeAll(connect);
  afterAll(() => agent?.close());
  beforeEach(() => {
    respond = () => ({ ok: true });
    seen = [];
  });

  const lockRow = (username: string) => env.DB.prepare("select failures from sign_in_lockouts where username = ?").bind(username).first<{ failures: number }>();

  it("the agent clears the directory's lock, then the worker's; no password job", async () => {
    const user = await seedDirectoryUser();
    await env.DB.prepare(`insert into sign_in_lockouts (username, failures, locked_until, updated_at) values (?, 10, ?, ?)`).bind(user.username, Date.now() + 60_000, Date.now()).run();
    const reset = await verifiedReset(user.username, user.emailMethodId, user.emailTarget);
    seen = [];
    const res = await unlock(reset);
    expect(res.status).toBe(200);
    expect(seen).toEqual([{ kind: "unlock", user: { externalId: user.externalId, dn: user.dn } }]);
    expect(await lockRow(user.username)).toBeNull();
    expect(await auditCount("reset.unlocked", user.id)).toBe(1);
  });

  it("no agent: 503 directory_unavailable, nothing cleared, the reset stays verified for another try", async () => {
    const user = await seedDirectoryUser();
    await env.DB.prepare(`insert into sign_in_lockouts (username, failures, locked_until, updated_at) values (?, 10, ?, ?)`).bind(user.username, Date.now() + 60_000, Date.now()).run();
    const reset = await verifiedReset(user.username, user.emailMethodId, user.emailTarget);
    await agent!.close();
    try {
      const res = await unlock(reset);
      expect(res.status).toBe(503);
      expect(res.body.error.code).toBe("directory_unavailable");
      expect((await lockRow(user.username))!.failures).toBe(10);
    } finally {
      await connect();
    }
    const retry = await unlock(reset);
    expect(retry.status).toBe(200);
    expect(await lockRow(user.username)).toBeNull();
  });
});

describe("OpenAPI document", () => {
  it("describes the unlock route, the purpose, expiry and allowUnlock", async () => {
    const doc = await callJson("GET", "/v1/openapi.json");
    expect(doc.status).toBe(200);
    const unlockOp = doc.body.paths["/v1/resets/{resetId}/unlock"]?.post;
    expect(Object.keys(unlockOp.responses).sort()).toEqual(["200", "401", "409", "410", "429", "503"]);
    const text = JSON.stringify(doc.body);
    for (const word of ['"purpose"', '"passwordExpired"', '"notifyDaysBefore"', '"allowUnlock"', '"changedBeforeExpiry"', '"passwordNeverExpires"']) expect(text).toContain(word);
  });
});
