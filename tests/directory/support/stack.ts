import { api, signIn } from "../../e2e/support/api.js";
import { startTestWorker, type TestWorker } from "../../e2e/support/worker.js";
import { startAgent, type AgentProcess } from "./agent-process.js";
import type { AgentLdapSettings, DirectoryHarness } from "./directory-types.js";

/** The demo org's global admin (scripts/seed-demo.ts): native, so it works whatever the agent does. */
export const DEMO_ADMIN = { username: "admin@demo.example", password: "staple-orbit-lantern-42" };

export interface DirectoryStack {
  worker: TestWorker;
  adminToken: string;
  agentId: string;
  agent: AgentProcess;
  ldap: AgentLdapSettings;
  /** Stops the agent (SIGTERM) and starts it again from its saved state, with no new token. */
  restartAgent(): Promise<void>;
  /** Asks for a sync through the admin API and waits until a newer one has finished. */
  syncNow(): Promise<{ users: number; errors: string[] }>;
  stop(): Promise<void>;
}

interface DirectoryStatus {
  agents: { id: string; connected: boolean }[];
  lastSync: { at: string; users: number; groups: number; errors: string[] } | null;
}

/**
 * The whole chain an organisation runs: the worker (wrangler dev, local D1, demo org), a real
 * directory server, and the agent between them, enrolled through the admin API as an admin would.
 */
export async function startDirectoryStack(directory: DirectoryHarness, ldapOverrides: Partial<AgentLdapSettings> = {}): Promise<DirectoryStack> {
  const worker = await startTestWorker();
  try {
    const adminToken = await signIn(worker.url, DEMO_ADMIN.username, DEMO_ADMIN.password);
    const created = await api<{ agent: { id: string }; enrollmentToken: string }>(worker.url, "POST", "/v1/admin/directory/agents", { name: "dc1" }, adminToken);
    if (created.status !== 201) throw new Error(`create agent: ${created.status} ${JSON.stringify(created.body)}`);
    const ldap = directory.agentSettings(ldapOverrides);
    let agent = await startAgent({ workerUrl: worker.url, enrollmentToken: created.body.enrollmentToken, ldap });
    const status = async () => (await api<DirectoryStatus>(worker.url, "GET", "/v1/admin/directory", undefined, adminToken)).body;
    const stack: DirectoryStack = {
      worker,
      adminToken,
      agentId: created.body.agent.id,
      get agent() {
        return agent;
      },
      ldap,
      async restartAgent() {
        await agent.stop();
        agent = await startAgent({ workerUrl: worker.url, ldap, stateDir: agent.stateDir });
      },
      async syncNow() {
        const before = (await status()).lastSync?.at ?? "";
        const asked = await api(worker.url, "POST", "/v1/admin/directory/sync", undefined, adminToken);
        if (asked.status !== 202) throw new Error(`sync: ${asked.status} ${JSON.stringify(asked.body)}`);
        const deadline = Date.now() + 30_000;
        for (;;) {
          const last = (await status()).lastSync;
          if (last && last.at > before) return last;
          if (Date.now() > deadline) throw new Error(`no sync finished within 30 s; the agent said:\n${agent.daemon.output()}`);
          await new Promise((r) => setTimeout(r, 100));
        }
      },
      async stop() {
        await agent.stop();
        await worker.stop();
      },
    };
    return stack;
  } catch (error) {
    await worker.stop();
    throw error;
  }
}
