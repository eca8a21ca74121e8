import { encodeHexLowerCase } from "@oslojs/encoding";

/**
 * Tokens and codes are stored as SHA-256 (the Copenhagen Book): a leaked table gives no usable token.
 * Lookups go by this hash, so comparing it is an index lookup, not a timing oracle on the secret.
 */
export async function sha256Hex(value: string): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(value));
  return encodeHexLowerCase(new Uint8Array(digest));
}

/** HMAC-SHA256 under a server key: for values that must not be brute-forced from a database dump alone. */
export async function hmacHex(key: string, value: string): Promise<string> {
  const cryptoKey = await crypto.subtle.importKey(
    "raw",
    new TextEncoder().encode(key),
    { name: "HMAC", hash: "SHA-256" },
    false,
    ["sign"],
  );
  const mac = await crypto.subtle.sign("HMAC", cryptoKey, new TextEncoder().encode(value));
  return encodeHexLowerCase(new Uint8Array(mac));
}
