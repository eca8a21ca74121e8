import { encodeBase64urlNoPadding } from "@oslojs/encoding";
import type { AgentPublicKey, SealedPayload } from "../../../../shared/directory/protocol.js";
import { randomBytes } from "../../crypto/random.js";

/**
 * Passwords for the agent, sealed to its RSA-OAEP key as a JWE (RFC 7516 compact serialization,
 * `alg` RSA-OAEP-256, `enc` A256GCM): a fresh AES-256-GCM key encrypts the JSON payload and RSA-OAEP
 * (SHA-256) encrypts that key. A standard format, so the agent opens it with WebCrypto or any JOSE
 * library: split on ".", RSA-OAEP-decrypt part 2 to the AES key, AES-GCM-decrypt part 4 ‖ part 5
 * with IV part 3 and additional data the ASCII of part 1.
 */
const PROTECTED_HEADER = encodeBase64urlNoPadding(new TextEncoder().encode(JSON.stringify({ alg: "RSA-OAEP-256", enc: "A256GCM" })));

/** The smallest modulus the worker encrypts to (NIST SP 800-57: 2048 bits until 2030). */
export const MIN_MODULUS_BITS = 2048;

const RSA_OAEP = { name: "RSA-OAEP", hash: "SHA-256" } as const;
const GCM_TAG_BYTES = 16;

/** The agent's public key as a WebCrypto key; throws for a key WebCrypto refuses or one that is too short. */
export async function importAgentKey(jwk: AgentPublicKey): Promise<CryptoKey> {
  // Only the key material: the agent's `key_ops` or `alg` spelling must not decide whether it imports.
  const key = await crypto.subtle.importKey("jwk", { kty: "RSA", n: jwk.n, e: jwk.e, ext: true }, RSA_OAEP, false, ["encrypt"]);
  const { modulusLength } = key.algorithm as CryptoKeyRsaKeyAlgorithm;
  if (modulusLength < MIN_MODULUS_BITS) throw new Error(`RSA modulus of ${modulusLength} bits is shorter than ${MIN_MODULUS_BITS}`);
  return key;
}

export async function sealForAgent(key: CryptoKey, payload: SealedPayload): Promise<string> {
  const cek = randomBytes(32);
  const iv = randomBytes(12);
  const aesKey = await crypto.subtle.importKey("raw", cek, "AES-GCM", false, ["encrypt"]);
  const sealed = new Uint8Array(
    await crypto.subtle.encrypt(
      { name: "AES-GCM", iv, additionalData: new TextEncoder().encode(PROTECTED_HEADER), tagLength: GCM_TAG_BYTES * 8 },
      aesKey,
      new TextEncoder().encode(JSON.stringify(payload)),
    ),
  );
  const encryptedKey = new Uint8Array(await crypto.subtle.encrypt(RSA_OAEP, key, cek));
  const ciphertext = sealed.subarray(0, sealed.length - GCM_TAG_BYTES);
  const tag = sealed.subarray(sealed.length - GCM_TAG_BYTES);
  return [PROTECTED_HEADER, ...[encryptedKey, iv, ciphertext, tag].map(encodeBase64urlNoPadding)].join(".");
}
