import { env } from "cloudflare:workers";
import { afterEach, describe, expect, it } from "vitest";
import { sha256Hex } from "../../worker/src/crypto/token-hash.js";
import { callJson, seedAndSignIn, setClock } from "./helpers.js";
import { connectAgent, connectRequest, createAgent, generateAgentKeys } from "./support/test-agent.js";

const enroll = async (enrollmentToken: string, publicKey?: JsonWebKey) =>
  callJson("POST", "/v1/agent/enroll", { body: { enrollmentToken, publicKey: publicKey ?? (await generateAgentKeys()).publicJwk, version: "1.2.3" } });

const refused = { error: { code: "unauthorized", message: expect.stringContaining("enrollment token") } };

afterEach(async () => {
  await setClock(0);
});

describe("POST /v1/agent/enroll", () => {
  it("trades the token for a credential that connects, and keeps only hashes", async () => {
    const { agentId, enrollmentToken } = await createAgent();
    const { keys, publicJwk } = await generateAgentKeys();
    const res = await enroll(enrollmentToken, publicJwk);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ agentId, credential: expect.stringMatching(/^[a-z2-7]{52}$/) });

    const row = await env.DB.prepare("select * from directory_agents where id = ?").bind(agentId).first<Record<string, unknown>>();
    expect(row).toMatchObject({
      enrollment_token_hash: null,
      enrollment_expires_at: null,
      credential_hash: await sha256Hex(res.body.credential),
      version: "1.2.3",
      enrolled_at: expect.any(Number),
    });
    expect(JSON.stringify(row)).not.toContain(res.body.credential);
    expect(JSON.parse(row!.public_key as string)).toMatchObject({ kty: "RSA", n: publicJwk.n, e: publicJwk.e });

    const agent = await connectAgent({ agentId, credential: res.body.credential, name: "x", keys, publicJwk }, () => ({ ok: true }));
    await agent.close();

    const audit = await env.DB.prepare("select * from audit_events where type = 'directory.agent_enrolled' and detail like ?").bind(`%${agentId}%`).all();
    expect(audit.results).toHaveLength(1);
    expect(JSON.parse(audit.results[0]!.detail as string)).toEqual({ agentId, name: expect.any(String), version: "1.2.3" });
  });

  it("refuses a token the second time, and an unknown one, with the same answer", async () => {
    const { enrollmentToken } = await createAgent();
    expect((await enroll(enrollmentToken)).status).toBe(200);
    const again = await enroll(enrollmentToken);
    const unknown = await enroll("not-a-token-anyone-was-given");
    expect(again.status).toBe(401);
    expect(again.body).toEqual(refused);
    expect(unknown.status).toBe(401);
    expect(unknown.body).toEqual(again.body);
  });

  it("refuses a token after its hour", async () => {
    const { enrollmentToken } = await createAgent();
    await setClock(60 * 60 + 1);
    const late = await enroll(enrollmentToken);
    expect(late.status).toBe(401);
    expect(late.body).toEqual(refused);
    await setClock(60 * 60 - 60);
    expect((await enroll(enrollmentToken)).status).toBe(200);
  });

  it("lets exactly one of two concurrent enrollments with one token win", async () => {
    const { agentId, enrollmentToken } = await createAgent();
    const [a, b] = await Promise.all([enroll(enrollmentToken), enroll(enrollmentToken)]);
    expect([a.status, b.status].sort()).toEqual([200, 401]);
    const winner = a.status === 200 ? a : b;
    const row = await env.DB.prepare("select credential_hash from directory_agents where id = ?").bind(agentId).first<{ credential_hash: string }>();
    expect(row!.credential_hash).toBe(await sha256Hex(winner.body.credential));
  });

  it("refuses a key too short to protect passwords, and leaves the token usable", async () => {
    const { enrollmentToken } = await createAgent();
    const weak = (await crypto.subtle.generateKey({ name: "RSA-OAEP", modulusLength: 1024, publicExponent: new Uint8Array([1, 0, 1]), hash: "SHA-256" }, true, [
      "encrypt",
      "decrypt",
    ])) as CryptoKeyPair;
    // A 1024-bit modulus is 171 base64url characters: padded with zero bytes past the schema's length floor, so the worker's key check is what refuses it.
    const jwk = (await crypto.subtle.exportKey("jwk", weak.publicKey)) as JsonWebKey;
    const res = await enroll(enrollmentToken, { ...jwk, n: `${"A".repeat(200)}${jwk.n}` });
    expect(res.status).toBe(400);
    expect(res.body.error.details).toEqual([{ path: "publicKey", message: expect.stringContaining("2048") }]);
    expect((await enroll(enrollmentToken)).status).toBe(200);
  });

  it("answers bad bodies with 400", async () => {
    const { publicJwk } = await generateAgentKeys();
    for (const body of [{}, { enrollmentToken: "x", publicKey: { kty: "EC" }, version: "1" }, { enrollmentToken: "x", publicKey: publicJwk, version: "1", extra: 1 }]) {
      const res = await callJson("POST", "/v1/agent/enroll", { body });
      expect(res.status).toBe(400);
      expect(res.body.error.code).toBe("invalid_request");
    }
  });
});

describe("GET /v1/agent/connect", () => {
  it("refuses a missing or wrong credential with 401, and a request that is no upgrade with 400", async () => {
    const none = await callJson("GET", "/v1/agent/connect", { headers: { Upgrade: "websocket" } });
    expect(none.status).toBe(401);
    expect(none.body.error.code).toBe("unauthorized");
    const wrong = await connectRequest("abcdefghijklmnopqrstuvwxyz234567abcdefghijklmnopqrst");
    expect(wrong.status).toBe(401);
    expect(wrong.webSocket).toBeNull();
    expect((await wrong.json<any>()).error.code).toBe("unauthorized");

    const { enrollmentToken } = await createAgent();
    const { body } = await enroll(enrollmentToken);
    const plain = await callJson("GET", "/v1/agent/connect", { token: body.credential });
    expect(plain.status).toBe(400);
    expect(plain.body.error.code).toBe("invalid_request");
  });

  it("refuses a session token: only agent credentials connect", async () => {
    const { token } = await seedAndSignIn({ roles: ["global_admin"] });
    expect((await connectRequest(token)).status).toBe(401);
  });
});
