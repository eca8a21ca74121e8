import { decodeBase64urlIgnorePadding } from "@oslojs/encoding";
import { exports } from "cloudflare:workers";
import type { Job, JobResult, ToAgentMessage } from "../../../shared/directory/protocol.js";
import { AGENT_PONG, cancelMessageSchema, sealedPayloadSchema, toAgentMessageSchema } from "../../../shared/directory/protocol.js";
import { BASE, callJson, seedAndSignIn } from "../helpers.js";

/**
 * A directory agent inside the test, speaking the real protocol to the real worker and DirectoryHub:
 * created by an admin through the API, enrolled with its own RSA-OAEP key, connected over a WebSocket,
 * answering jobs with the test's handler. Sealed secrets are opened here with the agent's private key,
 * independently of the worker's sealing code (JWE compact, RSA-OAEP-256 + A256GCM).
 */

/** Opens a sealed secret of the job being answered: its password, after checking the sealed job id. */
export type OpenSealed = (sealed: string) => Promise<string>;

export type JobHandler = (job: Job, open: OpenSealed, id: string) => JobResult | Promise<JobResult>;

export interface EnrolledAgent {
  agentId: string;
  credential: string;
  name: string;
  keys: CryptoKeyPair;
  publicJwk: JsonWebKey;
}

export interface TestAgent extends EnrolledAgent {
  socket: WebSocket;
  /** Every job message the agent received, as it came over the wire. */
  received: ToAgentMessage[];
  /** The ids of jobs the worker cancelled after giving up waiting. */
  cancelled: string[];
  /** Resolves with the close code and reason once the worker (or `close()`) ends the connection. */
  closed: Promise<{ code: number; reason: string }>;
  /** Sends raw text on the socket (a ping, or a malformed message). */
  send(text: string): void;
  close(): Promise<void>;
}

let globalAdminToken: Promise<string> | null = null;
/** One global admin per test file, signed in through the API like any other. */
export const globalAdmin = () => (globalAdminToken ??= seedAndSignIn({ roles: ["global_admin"] }).then((a) => a.token));

export async function generateAgentKeys(): Promise<{ keys: CryptoKeyPair; publicJwk: JsonWebKey }> {
  const keys = (await crypto.subtle.generateKey(
    { name: "RSA-OAEP", modulusLength: 3072, publicExponent: new Uint8Array([1, 0, 1]), hash: "SHA-256" },
    true,
    ["encrypt", "decrypt"],
  )) as CryptoKeyPair;
  const publicJwk = (await crypto.subtle.exportKey("jwk", keys.publicKey)) as JsonWebKey;
  return { keys, publicJwk };
}

/** POST /v1/admin/directory/agents as a global admin: the agent's id and its one-time token. */
export async function createAgent(name = `agent-${crypto.randomUUID().slice(0, 8)}`, adminToken?: string) {
  const res = await callJson("POST", "/v1/admin/directory/agents", { token: adminToken ?? (await globalAdmin()), body: { name } });
  if (res.status !== 201) throw new Error(`create agent: ${res.status} ${JSON.stringify(res.body)}`);
  return { agentId: res.body.agent.id as string, name, enrollmentToken: res.body.enrollmentToken as string };
}

export async function enrollAgent(opts: { name?: string; adminToken?: string } = {}): Promise<EnrolledAgent> {
  const { name, enrollmentToken } = await createAgent(opts.name, opts.adminToken);
  const { keys, publicJwk } = await generateAgentKeys();
  const res = await callJson("POST", "/v1/agent/enroll", { body: { enrollmentToken, publicKey: publicJwk, version: "test-1" } });
  if (res.status !== 200) throw new Error(`enroll: ${res.status} ${JSON.stringify(res.body)}`);
  return { agentId: res.body.agentId, credential: res.body.credential, name, keys, publicJwk };
}

/** GET /v1/agent/connect as the agent does it: a WebSocket upgrade with its credential as a bearer token. */
export const connectRequest = (credential: string) =>
  exports.default.fetch(new Request(`${BASE}/v1/agent/connect`, { headers: { Upgrade: "websocket", Authorization: `Bearer ${credential}` } }));

/** JWE compact (RFC 7516), RSA-OAEP-256 + A256GCM, as the agent opens it. */
export async function openSealed(privateKey: CryptoKey, sealed: string): Promise<{ jobId: string; password: string }> {
  const [header, encryptedKey, iv, ciphertext, tag] = sealed.split(".");
  if (!header || !encryptedKey || !iv || !ciphertext || tag === undefined) throw new Error("not a JWE compact serialization");
  const protectedHeader = JSON.parse(new TextDecoder().decode(decodeBase64urlIgnorePadding(header)));
  if (protectedHeader.alg !== "RSA-OAEP-256" || protectedHeader.enc !== "A256GCM") throw new Error(`unexpected JWE header ${JSON.stringify(protectedHeader)}`);
  const cek = await crypto.subtle.decrypt({ name: "RSA-OAEP" }, privateKey, decodeBase64urlIgnorePadding(encryptedKey));
  const aesKey = await crypto.subtle.importKey("raw", cek, "AES-GCM", false, ["decrypt"]);
  const body = new Uint8Array([...decodeBase64urlIgnorePadding(ciphertext), ...decodeBase64urlIgnorePadding(tag)]);
  const plain = await crypto.subtle.decrypt({ name: "AES-GCM", iv: decodeBase64urlIgnorePadding(iv), additionalData: new TextEncoder().encode(header) }, aesKey, body);
  return sealedPayloadSchema.parse(JSON.parse(new TextDecoder().decode(plain)));
}

/** Connects an enrolled agent; jobs go to `onJob` and its answer goes back as `{type: "result"}`. */
export async function connectAgent(agent: EnrolledAgent, onJob: JobHandler): Promise<TestAgent> {
  const res = await connectRequest(agent.credential);
  const socket = res.webSocket;
  if (res.status !== 101 || !socket) throw new Error(`connect: ${res.status} ${await res.text()}`);
  socket.accept();
  const received: ToAgentMessage[] = [];
  const cancelled: string[] = [];
  const closed = new Promise<{ code: number; reason: string }>((resolve) => socket.addEventListener("close", (e) => resolve({ code: e.code, reason: e.reason })));
  const answer = async (data: string) => {
    const json = JSON.parse(data) as unknown;
    if (cancelMessageSchema.safeParse(json).success) return void cancelled.push((json as { id: string }).id);
    const message = toAgentMessageSchema.parse(json);
    received.push(message);
    const open: OpenSealed = async (sealed) => {
      const payload = await openSealed(agent.keys.privateKey, sealed);
      if (payload.jobId !== message.id) throw new Error("sealed secret of another job");
      return payload.password;
    };
    let result: JobResult;
    try {
      result = await onJob(message.job, open, message.id);
    } catch (e) {
      result = { ok: false, reason: "error", message: e instanceof Error ? e.message : String(e) };
    }
    if (socket.readyState === WebSocket.OPEN) socket.send(JSON.stringify({ type: "result", id: message.id, result }));
  };
  socket.addEventListener("message", (event) => {
    if (typeof event.data === "string" && event.data !== AGENT_PONG) void answer(event.data);
  });
  return {
    ...agent,
    socket,
    received,
    cancelled,
    closed,
    send: (text) => socket.send(text),
    close: async () => {
      if (socket.readyState === WebSocket.OPEN) socket.close(1000, "test done");
      await closed;
    },
  };
}

/**
 * An agent created, enrolled and connected in one call, e.g.
 * `const agent = await connectTestAgent({ onJob: async (job, open) => ({ ok: true }) })`.
 */
export async function connectTestAgent(opts: { onJob: JobHandler; name?: string; adminToken?: string }): Promise<TestAgent> {
  return connectAgent(await enrollAgent(opts), opts.onJob);
}
