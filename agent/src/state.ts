import { chmodSync, mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { webcrypto } from "node:crypto";
import { z } from "zod";
import { agentPublicKeySchema, type AgentPublicKey } from "../../shared/directory/protocol.js";
import { AgentFatalError } from "./fatal.js";

/** What survives a restart: the credential the worker gave at enrollment and the key jobs are sealed to. */
const agentStateSchema = z.object({
  workerUrl: z.string(),
  agentId: z.string(),
  credential: z.string(),
  publicKey: agentPublicKeySchema,
  privateKey: z.record(z.string(), z.unknown()),
});
export type AgentState = z.infer<typeof agentStateSchema>;

export const STATE_FILE = "agent-state.json";
export const RSA_OAEP = { name: "RSA-OAEP", hash: "SHA-256" } as const;

export const statePath = (stateDir: string) => join(stateDir, STATE_FILE);

/** The saved state, if any, for this worker address: the credential goes nowhere else. */
export function readAgentState(stateDir: string, workerUrl: string): AgentState | null {
  let source: string;
  try {
    source = readFileSync(statePath(stateDir), "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return null;
    throw new AgentFatalError(`cannot read ${statePath(stateDir)} (${(error as NodeJS.ErrnoException).code ?? "unreadable"})`);
  }
  const parsed = agentStateSchema.safeParse(safeJson(source));
  if (!parsed.success) throw new AgentFatalError(`${statePath(stateDir)} is damaged: delete it and enroll again with a new enrollmentToken`);
  // A changed or mistyped address must not receive the credential the old one issued.
  if (sameAddress(parsed.data.workerUrl, workerUrl)) return parsed.data;
  throw new AgentFatalError(
    `config workerUrl: this agent enrolled with ${parsed.data.workerUrl}, and its credential is sent only there; put that address back, or enroll again (delete ${statePath(stateDir)} and give a new enrollmentToken)`,
  );
}

function sameAddress(a: string, b: string): boolean {
  try {
    return new URL(a).href.replace(/\/$/, "") === new URL(b).href.replace(/\/$/, "");
  } catch {
    return a === b;
  }
}

function safeJson(source: string): unknown {
  try {
    return JSON.parse(source);
  } catch {
    return null;
  }
}

/** Written through a temporary file so a crash never leaves half a credential; 0700 folder, 0600 file. */
export function writeAgentState(stateDir: string, state: AgentState): void {
  try {
    mkdirSync(stateDir, { recursive: true, mode: 0o700 });
    chmodSync(stateDir, 0o700);
    const temporary = `${statePath(stateDir)}.tmp`;
    writeFileSync(temporary, JSON.stringify(state, null, 2), { mode: 0o600 });
    renameSync(temporary, statePath(stateDir));
  } catch (error) {
    throw new AgentFatalError(`cannot write the agent state in stateDir ${stateDir} (${(error as NodeJS.ErrnoException).code ?? "unwritable"})`);
  }
}

export interface AgentKeyPair {
  publicKey: AgentPublicKey;
  privateKey: webcrypto.JsonWebKey;
}

export async function generateAgentKeyPair(): Promise<AgentKeyPair> {
  const pair = await webcrypto.subtle.generateKey({ ...RSA_OAEP, modulusLength: 3072, publicExponent: new Uint8Array([1, 0, 1]) }, true, ["encrypt", "decrypt"]);
  const publicJwk = await webcrypto.subtle.exportKey("jwk", pair.publicKey);
  const privateKey = await webcrypto.subtle.exportKey("jwk", pair.privateKey);
  const publicKey = agentPublicKeySchema.parse({ kty: publicJwk.kty, n: publicJwk.n, e: publicJwk.e, alg: "RSA-OAEP-256", ext: true, key_ops: ["encrypt"] });
  return { publicKey, privateKey };
}

export function importPrivateKey(jwk: Record<string, unknown>): Promise<webcrypto.CryptoKey> {
  return webcrypto.subtle.importKey("jwk", jwk as webcrypto.JsonWebKey, RSA_OAEP, false, ["decrypt"]);
}
