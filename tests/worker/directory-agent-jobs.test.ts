import { env } from "cloudflare:workers";
import { afterEach, describe, expect, it } from "vitest";
import { runAgentJob } from "../../worker/src/directory/agent/run-job.js";
import type { Job } from "../../shared/directory/protocol.js";
import { generateAgentKeys, openSealed, connectTestAgent } from "./support/test-agent.js";
import type { TestAgent } from "./support/test-agent.js";

const user = { externalId: "8c0a5c4e-1b1a-4f57-9a3b-0c1d2e3f4a5b", dn: "uid=ada,ou=people,dc=example,dc=test" };
const PASSWORD = "Ünïcode-pässword 🔑 with \"quotes\" and \\ backslash";

const agents: TestAgent[] = [];
const connect = async (onJob: Parameters<typeof connectTestAgent>[0]["onJob"]) => {
  const agent = await connectTestAgent({ onJob });
  agents.push(agent);
  return agent;
};

afterEach(async () => {
  await Promise.all(agents.splice(0).map((a) => a.close()));
});

const never = () => new Promise<never>(() => {});

describe("runAgentJob", () => {
  it("delivers a bind with the password sealed to the agent's key, and returns the agent's answer", async () => {
    const seen: { job: Job; password: string }[] = [];
    const agent = await connect(async (job, open) => {
      if (job.kind !== "bind") throw new Error("expected a bind");
      seen.push({ job, password: await open(job.sealedSecret) });
      return { ok: false, reason: "invalid_credentials", message: "wrong password" };
    });

    const outcome = await runAgentJob(env, { kind: "bind", user, password: PASSWORD });
    expect(outcome).toEqual({ ok: false, reason: "invalid_credentials", message: "wrong password" });
    expect(seen).toHaveLength(1);
    expect(seen[0]!.password).toBe(PASSWORD);
    expect(seen[0]!.job).toEqual({ kind: "bind", user, sealedSecret: expect.any(String) });

    const [message] = agent.received;
    const wire = JSON.stringify(message);
    expect(wire).not.toContain("pässword");
    expect(wire).not.toContain(JSON.stringify(PASSWORD).slice(1, -1));
    // Only the agent's private key opens it.
    const other = await generateAgentKeys();
    await expect(openSealed(other.keys.privateKey, (message!.job as { sealedSecret: string }).sealedSecret)).rejects.toThrow();
    expect(await openSealed(agent.keys.privateKey, (message!.job as { sealedSecret: string }).sealedSecret)).toEqual({ jobId: message!.id, password: PASSWORD });
  });

  it("seals both passwords of a change, each bound to the job's id", async () => {
    const opened: string[] = [];
    const agent = await connect(async (job, open) => {
      if (job.kind !== "set_password" || !job.sealedCurrent) throw new Error("expected a change");
      opened.push(await open(job.sealedSecret), await open(job.sealedCurrent));
      return { ok: true };
    });
    const outcome = await runAgentJob(env, { kind: "set_password", user, mode: "change", password: "New-Password-1", currentPassword: "Old-Password-1", mustChange: false });
    expect(outcome).toEqual({ ok: true });
    expect(opened).toEqual(["New-Password-1", "Old-Password-1"]);
    expect(agent.received[0]!.job).toMatchObject({ kind: "set_password", mode: "change", mustChange: false });
    expect(agent.received[0]!.id).toMatch(/^job_/);
  });

  it("seals a password of the longest kind a sign-in accepts", async () => {
    let opened = "";
    await connect(async (job, open) => {
      if (job.kind !== "set_password") throw new Error("expected a set");
      opened = await open(job.sealedSecret);
      return { ok: true };
    });
    const longest = "\u0001".repeat(512) + "€".repeat(512);
    expect(await runAgentJob(env, { kind: "set_password", user, mode: "admin", password: longest, mustChange: true })).toEqual({ ok: true });
    expect(opened).toBe(longest);
  });

  it("sends jobs without secrets as they are", async () => {
    const agent = await connect(() => ({ ok: true }));
    expect(await runAgentJob(env, { kind: "unlock", user })).toEqual({ ok: true });
    expect(await runAgentJob(env, { kind: "sync" })).toEqual({ ok: true });
    expect(agent.received.map((m) => m.job)).toEqual([{ kind: "unlock", user }, { kind: "sync" }]);
  });

  it("is unavailable at once with no agent connected", async () => {
    const started = Date.now();
    const outcome = await runAgentJob(env, { kind: "sync" }, 5_000);
    expect(outcome).toMatchObject({ ok: false, reason: "unavailable" });
    expect(Date.now() - started).toBeLessThan(2_000);
  });

  it("is unavailable when the agent does not answer in time", async () => {
    const agent = await connect(never);
    const started = Date.now();
    const outcome = await runAgentJob(env, { kind: "bind", user, password: PASSWORD }, 300);
    expect(outcome).toMatchObject({ ok: false, reason: "unavailable" });
    expect(Date.now() - started).toBeGreaterThanOrEqual(290);
    // The caller was told nothing changed: the agent hears that the job is off, so a late one is not applied.
    await expect.poll(() => agent.cancelled).toEqual([agent.received.at(-1)!.id]);
  });

  it("is unavailable as soon as the agent's socket closes while a job waits", async () => {
    const agent = await connect(async () => {
      agent.socket.close(1001, "agent stopping");
      return never();
    });
    const started = Date.now();
    const outcome = await runAgentJob(env, { kind: "sync" }, 10_000);
    expect(outcome).toMatchObject({ ok: false, reason: "unavailable" });
    expect(Date.now() - started).toBeLessThan(5_000);
  });

  it("ignores malformed messages and answers to other ids, and takes the right answer", async () => {
    const agent = await connect(async (_job, _open, id) => {
      agent.send("not json");
      agent.send(JSON.stringify({ type: "result", id, result: { ok: "yes" } }));
      agent.send(JSON.stringify({ type: "result", id: "job_someoneelse", result: { ok: true } }));
      return { ok: false, reason: "policy", message: "Too short for the directory." };
    });
    expect(await runAgentJob(env, { kind: "sync" })).toEqual({ ok: false, reason: "policy", message: "Too short for the directory." });
  });

  it("gives the job to the newest connection, and only that connection may answer it", async () => {
    const first = await connect(never);
    const second = await connect(async (_job, _open, id) => {
      first.send(JSON.stringify({ type: "result", id, result: { ok: true } }));
      await new Promise((r) => setTimeout(r, 100));
      return { ok: false, reason: "error", message: "from the newest" };
    });
    expect(await runAgentJob(env, { kind: "sync" }, 2_000)).toEqual({ ok: false, reason: "error", message: "from the newest" });
    expect(first.received).toHaveLength(0);
    expect(second.received).toHaveLength(1);
  });
});
