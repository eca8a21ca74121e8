import { mkdirSync, readFileSync } from "node:fs";
import { loadAgentConfig, type AgentConfig } from "./config.js";
import { AgentChannel } from "./channel.js";
import { AgentFatalError, causeOf, fatalLine } from "./fatal.js";
import { Cancellations, handleJobMessage } from "./jobs.js";
import { checkServiceBind, ServiceConnection, tlsOptionsFor } from "./ldap/connection.js";
import { DirectoryOperations } from "./ldap/operations.js";
import { readDirectory } from "./ldap/read-directory.js";
import { log } from "./log.js";
import { type AgentState, generateAgentKeyPair, importPrivateKey, readAgentState, statePath, writeAgentState } from "./state.js";
import { SyncRunner } from "./sync.js";
import { enroll, postSyncPage } from "./worker-api.js";

const AGENT_VERSION = (JSON.parse(readFileSync(new URL("../../package.json", import.meta.url), "utf8")) as { version: string }).version;

async function enrolledState(config: AgentConfig): Promise<AgentState> {
  const saved = readAgentState(config.stateDir, config.workerUrl);
  if (saved) return saved;
  if (!config.enrollmentToken) throw new AgentFatalError(`config enrollmentToken: is missing (this agent has no saved state in ${config.stateDir} yet, so it must enroll)`);
  try {
    // Before spending the one-time token: the state it buys must be writable.
    mkdirSync(config.stateDir, { recursive: true, mode: 0o700 });
  } catch (error) {
    throw new AgentFatalError(`config stateDir: cannot create ${config.stateDir} (${causeOf(error)})`);
  }
  const keys = await generateAgentKeyPair();
  const { agentId, credential } = await enroll(config.workerUrl, config.enrollmentToken, keys.publicKey, AGENT_VERSION);
  const state: AgentState = { workerUrl: config.workerUrl, agentId, credential, publicKey: keys.publicKey, privateKey: keys.privateKey as Record<string, unknown> };
  writeAgentState(config.stateDir, state);
  log(`enrolled as agent ${agentId}`);
  return state;
}

async function start(): Promise<void> {
  const config = loadAgentConfig(process.env.OPENSSPR_AGENT_CONFIG);
  const tls = tlsOptionsFor(config.ldap);
  if (!tls) log(`warning: ${config.ldap.url} is not TLS; passwords cross the network to the directory in clear (use ldaps://)`);
  const jobsConnection = new ServiceConnection(config.ldap, tls);
  const syncConnection = new ServiceConnection(config.ldap, tls);
  await checkServiceBind(config.ldap, jobsConnection);

  const state = await enrolledState(config);
  const privateKey = await importPrivateKey(state.privateKey);
  const stateFile = statePath(config.stateDir);
  const operations = new DirectoryOperations(config.ldap, tls, jobsConnection);

  let channel: AgentChannel | null = null;
  let syncTimer: NodeJS.Timeout | null = null;
  let stopping = false;
  const stop = async (code: number) => {
    if (stopping) return;
    stopping = true;
    if (syncTimer) clearInterval(syncTimer);
    await channel?.close();
    await Promise.all([jobsConnection.close(), syncConnection.close()]);
    process.exit(code);
  };
  const fail = (error: AgentFatalError) => {
    process.stderr.write(`${fatalLine(error.message)}\n`);
    void stop(1);
  };
  process.once("SIGINT", () => void stop(0));
  process.once("SIGTERM", () => void stop(0));

  const sync = new SyncRunner({
    read: () => readDirectory(config.ldap, syncConnection),
    post: (page) => postSyncPage(config.workerUrl, state.credential, stateFile, page),
    onFatal: fail,
  });
  const cancellations = new Cancellations();
  channel = new AgentChannel({
    workerUrl: config.workerUrl,
    credential: state.credential,
    stateFile,
    onFatal: fail,
    onMessage: (text) => {
      void handleJobMessage(text, { operations, privateKey, requestSync: () => sync.request(), cancellations }).then((answer) => {
        if (answer && !channel?.send(answer)) log(`job ${answer.id}: the connection closed before the answer could be sent`);
      });
    },
  });
  await channel.connect();
  try {
    await sync.runFirst();
  } catch (error) {
    if (error instanceof AgentFatalError) throw error;
    throw new AgentFatalError(`the first sync failed: ${causeOf(error)}`);
  }
  syncTimer = setInterval(() => sync.request(), config.syncIntervalSeconds * 1000);
  process.stdout.write("OpenSSPR agent ready\n");
}

start().catch((error: unknown) => {
  const message = error instanceof AgentFatalError ? error.message : `stopped by an unexpected error: ${causeOf(error)}`;
  process.stderr.write(`${fatalLine(message)}\n`);
  process.exit(1);
});
