import { webcrypto } from "node:crypto";
import { afterEach, beforeAll, describe, expect, test, vi } from "vitest";
import { Cancellations, handleJobMessage, type JobDeps } from "../../../agent/src/jobs.js";
import { generateAgentKeyPair, importPrivateKey, RSA_OAEP } from "../../../agent/src/state.js";

const b64u = (bytes: ArrayBuffer | Uint8Array) => Buffer.from(bytes as Uint8Array).toString("base64url");

async function seal(publicJwk: webcrypto.JsonWebKey, payload: { jobId: string; password: string }): Promise<string> {
  const publicKey = await webcrypto.subtle.importKey("jwk", publicJwk, RSA_OAEP, false, ["encrypt"]);
  const header = b64u(Buffer.from(JSON.stringify({ alg: "RSA-OAEP-256", enc: "A256GCM" })));
  const cek = webcrypto.getRandomValues(new Uint8Array(32));
  const iv = webcrypto.getRandomValues(new Uint8Array(12));
  const aes = await webcrypto.subtle.importKey("raw", cek, "AES-GCM", false, ["encrypt"]);
  const sealed = new Uint8Array(await webcrypto.subtle.encrypt({ name: "AES-GCM", iv, additionalData: Buffer.from(header) }, aes, Buffer.from(JSON.stringify(payload))));
  return [header, b64u(await webcrypto.subtle.encrypt(RSA_OAEP, publicKey, cek)), b64u(iv), b64u(sealed.subarray(0, -16)), b64u(sealed.subarray(-16))].join(".");
}

describe("job messages", () => {
  let publicKey: webcrypto.JsonWebKey;
  let deps: JobDeps & { calls: unknown[]; syncs: number };
  const user = { externalId: "0f0e", dn: "uid=a,ou=people,dc=example,dc=test" };
  const stderr: string[] = [];

  beforeAll(async () => {
    const keys = await generateAgentKeyPair();
    publicKey = keys.publicKey;
    const privateKey = await importPrivateKey(keys.privateKey as Record<string, unknown>);
    const calls: unknown[] = [];
    deps = {
      calls,
      syncs: 0,
      privateKey,
      requestSync: () => void deps.syncs++,
      operations: {
        bind: async (ref, password) => (calls.push(["bind", ref, password]), { ok: true }),
        setPassword: async (ref, mode, password, current, mustChange) => (calls.push(["set", mode, password, current, mustChange]), { ok: true }),
        unlock: async (ref) => (calls.push(["unlock", ref]), { ok: true }),
      },
    };
    vi.spyOn(process.stderr, "write").mockImplementation((chunk) => (stderr.push(String(chunk)), true));
  });
  afterEach(() => {
    deps.calls.length = 0;
  });

  test("a bind opens its sealed password and answers with the job's id; only kind and outcome are logged", async () => {
    const message = { type: "job", id: "job-1", job: { kind: "bind", user, sealedSecret: await seal(publicKey, { jobId: "job-1", password: "Secret#Pass1" }) } };
    expect(await handleJobMessage(JSON.stringify(message), deps)).toEqual({ type: "result", id: "job-1", result: { ok: true } });
    expect(deps.calls).toEqual([["bind", user, "Secret#Pass1"]]);
    expect(stderr.join("")).toMatch(/job bind: ok/);
    expect(stderr.join("")).not.toContain("Secret#Pass1");
  });

  test("a change opens both passwords; a secret sealed for another job is refused without touching the directory", async () => {
    const change = { kind: "set_password", user, mode: "change", mustChange: false, sealedSecret: await seal(publicKey, { jobId: "job-2", password: "New#Pass12" }), sealedCurrent: await seal(publicKey, { jobId: "job-2", password: "Old#Pass12" }) };
    await handleJobMessage(JSON.stringify({ type: "job", id: "job-2", job: change }), deps);
    expect(deps.calls).toEqual([["set", "change", "New#Pass12", "Old#Pass12", false]]);
    deps.calls.length = 0;
    const replayed = await handleJobMessage(JSON.stringify({ type: "job", id: "job-3", job: change }), deps);
    expect(replayed).toEqual({ type: "result", id: "job-3", result: { ok: false, reason: "error", message: "the sealed secret belongs to another job" } });
    expect(deps.calls).toEqual([]);
  });

  test("a password write the worker cancelled meanwhile is not wanted any more; other jobs still are", async () => {
    const cancellations = new Cancellations(2);
    let wanted: (() => boolean) | undefined;
    let release: () => void = () => {};
    const held = new Promise<void>((resolve) => (release = resolve));
    const waiting: JobDeps = {
      ...deps,
      cancellations,
      operations: { ...deps.operations, setPassword: async (...args) => ((wanted = args[5]), await held, { ok: true }) },
    };
    const job = { kind: "set_password", user, mode: "reset", mustChange: false, sealedSecret: await seal(publicKey, { jobId: "job-9", password: "New#Pass12" }) };
    const answer = handleJobMessage(JSON.stringify({ type: "job", id: "job-9", job }), waiting);
    await vi.waitFor(() => expect(wanted).toBeDefined());
    expect(wanted!()).toBe(true);
    expect(await handleJobMessage(JSON.stringify({ type: "cancel", id: "job-9" }), waiting)).toBeNull();
    expect(wanted!()).toBe(false);
    release();
    await answer;
    // Only the most recent cancellations are kept.
    cancellations.add("job-10");
    cancellations.add("job-11");
    expect([cancellations.has("job-9"), cancellations.has("job-10"), cancellations.has("job-11")]).toEqual([false, true, true]);
  });

  test("a sync job is answered at once and asks for a sync; a message that is no job gets no answer", async () => {
    expect(await handleJobMessage(JSON.stringify({ type: "job", id: "job-4", job: { kind: "sync" } }), deps)).toEqual({ type: "result", id: "job-4", result: { ok: true } });
    expect(deps.syncs).toBe(1);
    expect(await handleJobMessage("{not json", deps)).toBeNull();
    expect(await handleJobMessage(JSON.stringify({ type: "job", id: "job-5", job: { kind: "format_disk" } }), deps)).toBeNull();
  });
});
