import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import type { AgentLdapSettings } from "./directory-types.js";
import { type Daemon, makeTempDir, startDaemon } from "./processes.js";

const ROOT = fileURLToPath(new URL("../../..", import.meta.url));
export const AGENT_READY = "OpenSSPR agent ready";

export interface AgentProcess {
  readonly daemon: Daemon;
  readonly stateDir: string;
  readonly configFile: string;
  /** SIGTERM, as an operator's Ctrl-C or `systemctl stop` would send. */
  stop(): Promise<void>;
}

export interface AgentOptions {
  workerUrl: string;
  /** Omitted on a restart: the agent reuses the credential in stateDir. */
  enrollmentToken?: string;
  ldap: AgentLdapSettings;
  /** Reuse a stopped agent's state (a restart). */
  stateDir?: string;
  syncIntervalSeconds?: number;
}

/**
 * `npm run agent`'s code (node --import tsx agent/src/main.ts) with a config file written for it,
 * resolved once it prints its ready line (enrolled, connected, first sync done).
 */
export async function startAgent(o: AgentOptions): Promise<AgentProcess> {
  const stateDir = o.stateDir ?? join(makeTempDir("opensspr-agent-"), "state");
  const configFile = join(makeTempDir("opensspr-agent-config-"), "agent.json");
  writeFileSync(
    configFile,
    JSON.stringify({ workerUrl: o.workerUrl, enrollmentToken: o.enrollmentToken ?? null, stateDir, syncIntervalSeconds: o.syncIntervalSeconds ?? 300, ldap: o.ldap }),
  );
  const daemon = startDaemon(process.execPath, ["--import", "tsx", "agent/src/main.ts"], {
    cwd: ROOT,
    env: { ...process.env, OPENSSPR_AGENT_CONFIG: configFile },
  });
  const deadline = Date.now() + 60_000;
  while (!daemon.output().includes(AGENT_READY)) {
    if (daemon.hasExited()) throw new Error(`the agent exited before it was ready:\n${daemon.output()}`);
    if (Date.now() > deadline) {
      await daemon.stop();
      throw new Error(`the agent was not ready within 60 s:\n${daemon.output()}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return { daemon, stateDir, configFile, stop: () => daemon.stop(5_000) };
}
