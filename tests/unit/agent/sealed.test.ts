import { webcrypto } from "node:crypto";
import { beforeAll, describe, expect, test } from "vitest";
import { openSealedSecret, SealedSecretError } from "../../../agent/src/sealed.js";
import { generateAgentKeyPair, importPrivateKey, RSA_OAEP } from "../../../agent/src/state.js";

const b64u = (bytes: ArrayBuffer | Uint8Array) => Buffer.from(bytes as Uint8Array).toString("base64url");

/** Seals as the worker does: a JWE, RSA-OAEP-256 key wrapping, A256GCM content encryption. */
async function seal(publicJwk: webcrypto.JsonWebKey, payload: unknown, header = { alg: "RSA-OAEP-256", enc: "A256GCM" }): Promise<string> {
  const publicKey = await webcrypto.subtle.importKey("jwk", publicJwk, RSA_OAEP, false, ["encrypt"]);
  const protectedHeader = b64u(Buffer.from(JSON.stringify(header)));
  const cek = webcrypto.getRandomValues(new Uint8Array(32));
  const iv = webcrypto.getRandomValues(new Uint8Array(12));
  const aes = await webcrypto.subtle.importKey("raw", cek, "AES-GCM", false, ["encrypt"]);
  const sealed = new Uint8Array(await webcrypto.subtle.encrypt({ name: "AES-GCM", iv, additionalData: Buffer.from(protectedHeader) }, aes, Buffer.from(JSON.stringify(payload))));
  const wrapped = await webcrypto.subtle.encrypt(RSA_OAEP, publicKey, cek);
  return [protectedHeader, b64u(wrapped), b64u(iv), b64u(sealed.subarray(0, -16)), b64u(sealed.subarray(-16))].join(".");
}

describe("sealed secrets", () => {
  let keys: Awaited<ReturnType<typeof generateAgentKeyPair>>;
  let privateKey: webcrypto.CryptoKey;
  beforeAll(async () => {
    keys = await generateAgentKeyPair();
    privateKey = await importPrivateKey(keys.privateKey as Record<string, unknown>);
  });

  test("the agent's key is RSA 3072 with RSA-OAEP-256, its public half a JWK without private parts", () => {
    expect(Buffer.from(keys.publicKey.n, "base64url").length).toBe(384);
    expect(keys.publicKey).toMatchObject({ kty: "RSA", alg: "RSA-OAEP-256" });
    expect(keys.publicKey).not.toHaveProperty("d");
  });

  test("opens a password sealed for this job, long passwords included", async () => {
    const long = "é".repeat(1024);
    expect(await openSealedSecret(privateKey, await seal(keys.publicKey, { jobId: "job-1", password: "Pass#word1" }), "job-1")).toBe("Pass#word1");
    expect(await openSealedSecret(privateKey, await seal(keys.publicKey, { jobId: "job-2", password: long }), "job-2")).toBe(long);
  });

  test("opens what the worker seals (its own sealForAgent, the key as the agent enrolled it)", async () => {
    // Loaded at run time: the worker's sources typecheck only against the Workers types, not Node's.
    const workerModule = "../../../worker/src/directory/agent/seal-for-agent.js";
    const { importAgentKey, sealForAgent } = (await import(/* @vite-ignore */ workerModule)) as {
      importAgentKey: (jwk: unknown) => Promise<webcrypto.CryptoKey>;
      sealForAgent: (key: webcrypto.CryptoKey, payload: { jobId: string; password: string }) => Promise<string>;
    };
    const workerKey = await importAgentKey(keys.publicKey);
    expect(await openSealedSecret(privateKey, await sealForAgent(workerKey, { jobId: "job-7", password: "Straße#Pass1" }), "job-7")).toBe("Straße#Pass1");
    await expect(openSealedSecret(privateKey, await sealForAgent(workerKey, { jobId: "job-7", password: "x" }), "job-8")).rejects.toBeInstanceOf(SealedSecretError);
  });

  test("refuses a payload sealed for another job", async () => {
    const sealed = await seal(keys.publicKey, { jobId: "job-1", password: "Pass#word1" });
    await expect(openSealedSecret(privateKey, sealed, "job-9")).rejects.toThrow(new SealedSecretError("the sealed secret belongs to another job"));
  });

  test("refuses another key's ciphertext, a tampered one, another algorithm and a wrong shape", async () => {
    const other = await generateAgentKeyPair();
    await expect(openSealedSecret(privateKey, await seal(other.publicKey, { jobId: "j", password: "p" }), "j")).rejects.toBeInstanceOf(SealedSecretError);
    const parts = (await seal(keys.publicKey, { jobId: "j", password: "p" })).split(".");
    parts[3] = b64u(Buffer.from(parts[3]!, "base64url").map((byte) => byte ^ 1));
    await expect(openSealedSecret(privateKey, parts.join("."), "j")).rejects.toBeInstanceOf(SealedSecretError);
    await expect(openSealedSecret(privateKey, await seal(keys.publicKey, { jobId: "j", password: "p" }, { alg: "RSA-OAEP", enc: "A256GCM" }), "j")).rejects.toBeInstanceOf(SealedSecretError);
    await expect(openSealedSecret(privateKey, await seal(keys.publicKey, { jobId: "j" }), "j")).rejects.toBeInstanceOf(SealedSecretError);
    await expect(openSealedSecret(privateKey, "not-a-jwe", "j")).rejects.toBeInstanceOf(SealedSecretError);
  });
});
