import { afterAll, beforeAll, describe, expect, test, vi } from "vitest";
import { generateAgentKeyPair, importPrivateKey } from "../../../agent/src/state.js";
import { handleJobMessage, type JobDeps } from "../../../agent/src/jobs.js";
import { SyncRunner } from "../../../agent/src/sync.js";
import { agentJobTimes, agentSyncLines } from "../../../scripts/bench/directory-agent.js";

/** The bench reads the agent's own log for its per-job and per-sync times: these pin the two together. */
describe("the bench reads the agent's log", () => {
  const stderr: string[] = [];
  const user = { externalId: "0f0e", dn: "uid=a,ou=people,dc=example,dc=test" };
  let deps: JobDeps;

  beforeAll(async () => {
    const keys = await generateAgentKeyPair();
    deps = {
      privateKey: await importPrivateKey(keys.privateKey as Record<string, unknown>),
      requestSync: () => {},
      operations: {
        bind: async () => ({ ok: true }),
        setPassword: async () => ({ ok: true }),
        unlock: async () => ({ ok: true }),
      },
    };
    vi.spyOn(process.stderr, "write").mockImplementation((chunk) => (stderr.push(String(chunk)), true));
  });
  afterAll(() => vi.restoreAllMocks());

  test("job lines: one time per successful job of the kind asked, none from before `since`", async () => {
    const before = Date.now();
    await handleJobMessage(JSON.stringify({ type: "job", id: "j1", job: { kind: "unlock", user } }), deps);
    await handleJobMessage(JSON.stringify({ type: "job", id: "j2", job: { kind: "unlock", user } }), deps);
    await handleJobMessage(JSON.stringify({ type: "job", id: "j3", job: { kind: "sync" } }), deps);
    const output = stderr.join("");
    const times = agentJobTimes(output, "unlock", before);
    expect(times).toHaveLength(2);
    for (const t of times) expect(t).toBeGreaterThanOrEqual(0);
    expect(agentJobTimes(output, "sync", before)).toHaveLength(1);
    expect(agentJobTimes(output, "unlock", Date.now() + 60_000)).toEqual([]);
    // A failed job is not a timing of the work the bench measures.
    expect(agentJobTimes("2026-01-01T00:00:00.000Z job set_password/reset: policy (4 ms)\n", "set_password/reset", 0)).toEqual([]);
    expect(agentJobTimes("2026-01-01T00:00:00.000Z job set_password/reset: ok (4 ms)\n", "set_password/reset", 0)).toEqual([4]);
  });

  test("sync lines: users, pages and the agent's time of a finished sync", async () => {
    const before = Date.now();
    const users = Array.from({ length: 1500 }, (_, i) => ({ externalId: `id${i}` }) as never);
    const runner = new SyncRunner({ read: async () => ({ users, groups: ["staff"], errors: [], warnings: [], seen: [], skipped: [], lockoutThreshold: null }), post: async () => ({ accepted: 0, skipped: [] }), onFatal: () => {} });
    await runner.runOnce();
    const lines = agentSyncLines(stderr.join(""), before);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({ users: 1500, pages: 2 });
    expect(lines[0]!.ms).toBeGreaterThanOrEqual(0);
  });
});
