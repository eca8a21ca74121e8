import { decodeBase64, encodeBase64 } from "@oslojs/encoding";
import { randomBytes } from "./random.js";

/**
 * AES-256-GCM for the few secrets that must be read back (TOTP seeds, spec §3). The key is derived from
 * SECRET_KEY with HKDF and a purpose label, so one server secret serves several purposes independently.
 * The label's prefix keeps the project's first spelling on purpose: it is part of every key that sealed
 * a stored seed, so changing it would make each sealed TOTP seed unreadable.
 */
async function aesKey(secret: string, purpose: string): Promise<CryptoKey> {
  const material = await crypto.subtle.importKey("raw", new TextEncoder().encode(secret), "HKDF", false, ["deriveKey"]);
  return crypto.subtle.deriveKey(
    { name: "HKDF", hash: "SHA-256", salt: new Uint8Array(0), info: new TextEncoder().encode(`openssspr:${purpose}`) },
    material,
    { name: "AES-GCM", length: 256 },
    false,
    ["encrypt", "decrypt"],
  );
}

/** `v1:<base64(iv ‖ ciphertext ‖ tag)>`; `aad` binds the sealed value to its row (e.g. the method id). */
export async function seal(secret: string, purpose: string, plaintext: Uint8Array, aad: string): Promise<string> {
  const iv = randomBytes(12);
  const key = await aesKey(secret, purpose);
  const sealed = await crypto.subtle.encrypt({ name: "AES-GCM", iv, additionalData: new TextEncoder().encode(aad) }, key, plaintext);
  const out = new Uint8Array(12 + sealed.byteLength);
  out.set(iv);
  out.set(new Uint8Array(sealed), 12);
  return `v1:${encodeBase64(out)}`;
}

export async function unseal(secret: string, purpose: string, sealed: string, aad: string): Promise<Uint8Array> {
  if (!sealed.startsWith("v1:")) throw new Error("unknown sealed format");
  const bytes = decodeBase64(sealed.slice(3));
  const key = await aesKey(secret, purpose);
  const plain = await crypto.subtle.decrypt(
    { name: "AES-GCM", iv: bytes.slice(0, 12), additionalData: new TextEncoder().encode(aad) },
    key,
    bytes.slice(12),
  );
  return new Uint8Array(plain);
}
