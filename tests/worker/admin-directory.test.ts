import { env } from "cloudflare:workers";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { runAgentJob } from "../../worker/src/directory/agent/run-job.js";
import { AGENT_CLOSE, AGENT_PING, AGENT_PONG } from "../../shared/directory/protocol.js";
import { callJson, seedAndSignIn } from "./helpers.js";
import { connectAgent, connectRequest, connectTestAgent, createAgent, enrollAgent, globalAdmin } from "./support/test-agent.js";
import type { TestAgent } from "./support/test-agent.js";

const agents: TestAgent[] = [];
const track = (agent: TestAgent) => (agents.push(agent), agent);

afterEach(async () => {
  await Promise.all(agents.splice(0).map((a) => a.close()));
});

let admin: string;
let passwordAdmin: string;
let user: string;
beforeAll(async () => {
  admin = await globalAdmin();
  passwordAdmin = (await seedAndSignIn({ roles: ["password_admin"] })).token;
  user = (await seedAndSignIn()).token;
});

const status = async (token = admin) => {
  const res = await callJson("GET", "/v1/admin/directory", { token });
  expect(res.status).toBe(200);
  return res.body as { agents: { id: string; name: string; connected: boolean; lastSeenAt: string | null; version: string | null }[]; lastSync: unknown };
};

const auditOf = (type: string) => env.DB.prepare("select * from audit_events where type = ? order by seq").bind(type).all<Record<string, any>>();

describe("POST /v1/admin/directory/agents", () => {
  it("creates an agent and shows its token once", async () => {
    const res = await callJson("POST", "/v1/admin/directory/agents", { token: admin, body: { name: "  DC1 agent  " } });
    expect(res.status).toBe(201);
    expect(res.body).toEqual({
      agent: { id: expect.stringMatching(/^agt_/), name: "DC1 agent", connected: false, lastSeenAt: null, version: null },
      enrollmentToken: expect.stringMatching(/^[a-z2-7]{52}$/),
    });
    expect((await status()).agents).toContainEqual(res.body.agent);
    const row = await env.DB.prepare("select * from directory_agents where id = ?").bind(res.body.agent.id).first<Record<string, unknown>>();
    expect(JSON.stringify(row)).not.toContain(res.body.enrollmentToken);
    expect(row!.enrollment_expires_at).toBeGreaterThan(Date.now() + 59 * 60_000);
    const audit = (await auditOf("directory.agent_created")).results.find((r) => r.detail.includes(res.body.agent.id));
    expect(audit).toMatchObject({ outcome: "success", actor_id: expect.any(String) });
  });

  it("takes a name and nothing else", async () => {
    for (const body of [{}, { name: "   " }, { name: "x".repeat(101) }, { name: "a", extra: true }]) {
      const res = await callJson("POST", "/v1/admin/directory/agents", { token: admin, body });
      expect(res.status).toBe(400);
      expect(res.body.error.code).toBe("invalid_request");
    }
  });
});

describe("roles", () => {
  it("lets any admin read the status, and only global admins change anything", async () => {
    const { agentId } = await createAgent();
    expect((await callJson("GET", "/v1/admin/directory", { token: passwordAdmin })).status).toBe(200);
    for (const token of [passwordAdmin, user]) {
      const answers = [
        await callJson("POST", "/v1/admin/directory/agents", { token, body: { name: "x" } }),
        await callJson("POST", "/v1/admin/directory/sync", { token }),
        await callJson("DELETE", `/v1/admin/directory/agents/${agentId}`, { token }),
      ];
      for (const res of answers) expect(res.body.error.code, JSON.stringify(res.body)).toBe("forbidden");
    }
    expect((await callJson("GET", "/v1/admin/directory", { token: user })).status).toBe(403);
    for (const [method, path] of [
      ["GET", "/v1/admin/directory"],
      ["POST", "/v1/admin/directory/sync"],
      ["DELETE", `/v1/admin/directory/agents/${agentId}`],
    ] as const) {
      expect((await callJson(method, path)).status).toBe(401);
    }
    // The agent is still there.
    expect((await status()).agents.map((a) => a.id)).toContain(agentId);
  });
});

describe("connected agents", () => {
  it("shows a connected agent with its version and last contact, and answers ping without the agent's code", async () => {
    const agent = track(await connectTestAgent({ onJob: () => ({ ok: true }) }));
    const shown = (await status()).agents.find((a) => a.id === agent.agentId);
    expect(shown).toEqual({ id: agent.agentId, name: agent.name, connected: true, lastSeenAt: expect.any(String), version: "test-1" });
    expect(Date.now() - Date.parse(shown!.lastSeenAt!)).toBeLessThan(60_000);

    await new Promise((r) => setTimeout(r, 20));
    const pong = new Promise<string>((resolve) => agent.socket.addEventListener("message", (e) => resolve(e.data as string)));
    agent.send(AGENT_PING);
    expect(await pong).toBe(AGENT_PONG);
    // The runtime answered the ping and timestamped it: the agent's last contact moves on.
    const afterPing = (await status()).agents.find((a) => a.id === agent.agentId)!;
    expect(Date.parse(afterPing.lastSeenAt!)).toBeGreaterThan(Date.parse(shown!.lastSeenAt!));

    await agent.close();
    await expect.poll(async () => (await status()).agents.find((a) => a.id === agent.agentId)?.connected).toBe(false);
  });

  it("replaces an agent's older connection by its newer one", async () => {
    const enrolled = await enrollAgent();
    const older = track(await connectAgent(enrolled, () => ({ ok: true })));
    const newer = track(await connectAgent(enrolled, () => ({ ok: true })));
    expect(await older.closed).toEqual({ code: AGENT_CLOSE.replaced, reason: expect.any(String) });
    expect(newer.socket.readyState).toBe(WebSocket.OPEN);
    expect((await status()).agents.filter((a) => a.id === enrolled.agentId)).toMatchObject([{ connected: true }]);
  });
});

describe("POST /v1/admin/directory/sync", () => {
  it("is 503 directory_unavailable with no agent connected, audited as a failure", async () => {
    const res = await callJson("POST", "/v1/admin/directory/sync", { token: admin });
    expect(res.status).toBe(503);
    expect(res.body).toEqual({ error: { code: "directory_unavailable", message: expect.any(String) } });
    expect((await auditOf("directory.sync_requested")).results.at(-1)).toMatchObject({ outcome: "failure" });
  });

  it("is 202 once the agent took the sync job", async () => {
    const agent = track(await connectTestAgent({ onJob: () => ({ ok: true }) }));
    const res = await callJson("POST", "/v1/admin/directory/sync", { token: admin });
    expect(res.status).toBe(202);
    expect(agent.received.map((m) => m.job)).toEqual([{ kind: "sync" }]);
    expect((await auditOf("directory.sync_requested")).results.at(-1)).toMatchObject({ outcome: "success" });
    expect((await callJson("POST", "/v1/admin/directory/sync", { token: admin, body: { full: true } })).status).toBe(400);
  });

  it("is 503 when the agent refuses to start one", async () => {
    track(await connectTestAgent({ onJob: () => ({ ok: false, reason: "error", message: "LDAP server down" }) }));
    const res = await callJson("POST", "/v1/admin/directory/sync", { token: admin });
    expect(res.status).toBe(503);
    expect(res.body.error.code).toBe("directory_unavailable");
    expect(JSON.stringify(res.body)).not.toContain("LDAP server down");
  });
});

describe("GET /v1/admin/directory lastSync", () => {
  it("is the newest finished sync", async () => {
    const { agentId } = await createAgent();
    const insert = env.DB.prepare("insert into directory_syncs (id, agent_id, started_at, finished_at, users, group_count, errors) values (?, ?, ?, ?, ?, ?, ?)");
    await env.DB.batch([
      insert.bind("sync_old", agentId, 1_000, 2_000, 5, 1, "[]"),
      insert.bind("sync_new", agentId, 3_000, 4_000, 7, 3, '["ou=x: no such object"]'),
      insert.bind("sync_running", agentId, 5_000, null, 9, 0, "[]"),
    ]);
    expect((await status(passwordAdmin)).lastSync).toEqual({ at: new Date(4_000).toISOString(), users: 7, groups: 3, errors: ["ou=x: no such object"] });
  });
});

describe("DELETE /v1/admin/directory/agents/{id}", () => {
  it("closes the agent's socket at once, refuses its credential and fails its waiting job", async () => {
    const agent = track(await connectTestAgent({ onJob: () => new Promise(() => {}) }));
    const waiting = runAgentJob(env, { kind: "sync" }, 10_000);
    await expect.poll(() => agent.received.length).toBe(1);

    const res = await callJson("DELETE", `/v1/admin/directory/agents/${agent.agentId}`, { token: admin });
    expect(res.status).toBe(204);
    expect(await agent.closed).toEqual({ code: AGENT_CLOSE.removed, reason: expect.any(String) });
    expect(await waiting).toMatchObject({ ok: false, reason: "unavailable" });

    expect((await connectRequest(agent.credential)).status).toBe(401);
    expect((await status()).agents.map((a) => a.id)).not.toContain(agent.agentId);
    expect((await auditOf("directory.agent_deleted")).results.filter((r) => r.detail.includes(agent.agentId))).toHaveLength(1);

    const again = await callJson("DELETE", `/v1/admin/directory/agents/${agent.agentId}`, { token: admin });
    expect(again.status).toBe(404);
    expect(again.body.error.code).toBe("not_found");
    expect((await auditOf("directory.agent_deleted")).results.filter((r) => r.detail.includes(agent.agentId))).toHaveLength(1);
  });

  it("a retry closes the socket of an agent whose row is already gone (the first request's close failed)", async () => {
    const agent = track(await connectTestAgent({ onJob: () => ({ ok: true }) }));
    // The row went, but the hub never heard (it restarted mid-request): the socket is still open.
    await env.DB.prepare("delete from directory_agents where id = ?").bind(agent.agentId).run();
    expect(agent.socket.readyState).toBe(WebSocket.OPEN);
    const retry = await callJson("DELETE", `/v1/admin/directory/agents/${agent.agentId}`, { token: admin });
    expect(retry.status).toBe(404);
    expect(await agent.closed).toEqual({ code: AGENT_CLOSE.removed, reason: expect.any(String) });
  });

  it("is 404 for an id no agent has", async () => {
    const res = await callJson("DELETE", "/v1/admin/directory/agents/agt_nosuchagent", { token: admin });
    expect(res.status).toBe(404);
  });
});

describe("OpenAPI", () => {
  it("documents the directory and agent routes", async () => {
    const { body } = await callJson("GET", "/v1/openapi.json");
    expect(Object.keys(body.paths["/v1/admin/directory/agents"])).toEqual(["post"]);
    expect(Object.keys(body.paths["/v1/admin/directory/agents/{id}"])).toEqual(["delete"]);
    expect(Object.keys(body.paths["/v1/admin/directory"])).toEqual(["get"]);
    expect(body.paths["/v1/admin/directory/sync"].post.responses).toHaveProperty("503");
    expect(body.paths["/v1/admin/directory/sync"].post.responses).toHaveProperty("202");
    expect(Object.keys(body.paths["/v1/agent/enroll"])).toEqual(["post"]);
    expect(Object.keys(body.paths["/v1/agent/connect"])).toEqual(["get"]);
  });
});
