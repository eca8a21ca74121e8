import { webcrypto } from "node:crypto";
import { sealedPayloadSchema } from "../../shared/directory/protocol.js";
import { RSA_OAEP } from "./state.js";

export class SealedSecretError extends Error {
  override readonly name = "SealedSecretError";
}

const GCM_TAG_BYTES = 16;
const refused = () => new SealedSecretError("the sealed secret could not be opened with this agent's key");

/** The only JWE header the worker seals with; anything else is refused rather than negotiated. */
function checkHeader(encoded: string): void {
  let header: unknown;
  try {
    header = JSON.parse(Buffer.from(encoded, "base64url").toString("utf8"));
  } catch {
    throw refused();
  }
  const { alg, enc } = (header ?? {}) as { alg?: unknown; enc?: unknown };
  if (alg !== "RSA-OAEP-256" || enc !== "A256GCM") throw refused();
}

/**
 * Opens a `sealedSecret`: a JWE in compact serialization (RSA-OAEP-256 wraps an AES-256-GCM key that
 * encrypts the JSON `{jobId, password}`), the format the worker seals with. The sealed job id must be
 * this job's, so a ciphertext lifted from another job is refused.
 */
export async function openSealedSecret(privateKey: webcrypto.CryptoKey, sealed: string, jobId: string): Promise<string> {
  const parts = sealed.split(".");
  if (parts.length !== 5) throw refused();
  const [header, encryptedKey, iv, ciphertext, tag] = parts as [string, string, string, string, string];
  checkHeader(header);
  let plaintext: ArrayBuffer;
  try {
    const contentKey = await webcrypto.subtle.decrypt(RSA_OAEP, privateKey, Buffer.from(encryptedKey, "base64url"));
    const aesKey = await webcrypto.subtle.importKey("raw", contentKey, "AES-GCM", false, ["decrypt"]);
    plaintext = await webcrypto.subtle.decrypt(
      { name: "AES-GCM", iv: Buffer.from(iv, "base64url"), additionalData: Buffer.from(header, "ascii"), tagLength: GCM_TAG_BYTES * 8 },
      aesKey,
      Buffer.concat([Buffer.from(ciphertext, "base64url"), Buffer.from(tag, "base64url")]),
    );
  } catch {
    throw refused();
  }
  let json: unknown;
  try {
    json = JSON.parse(new TextDecoder().decode(plaintext));
  } catch {
    throw refused();
  }
  const payload = sealedPayloadSchema.safeParse(json);
  if (!payload.success) throw refused();
  if (payload.data.jobId !== jobId) throw new SealedSecretError("the sealed secret belongs to another job");
  return payload.data.password;
}
