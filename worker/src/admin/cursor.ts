import { decodeBase64urlIgnorePadding, encodeBase64urlNoPadding } from "@oslojs/encoding";
import { invalidRequest } from "../errors.js";

/**
 * Opaque list cursors (contract "Conventions"): a kind and the last key seen, base64url-encoded so
 * clients pass them back unchanged instead of building them. The kind stops a cursor of one list
 * from being replayed against another.
 */
export function encodeCursor(kind: string, key: string | number): string {
  return encodeBase64urlNoPadding(new TextEncoder().encode(`${kind}:${key}`));
}

export function decodeCursor(kind: string, cursor: string | undefined): string | null {
  if (cursor === undefined) return null;
  try {
    const text = new TextDecoder("utf-8", { fatal: true, ignoreBOM: false }).decode(decodeBase64urlIgnorePadding(cursor));
    if (text.startsWith(`${kind}:`)) return text.slice(kind.length + 1);
  } catch {
    // falls through to the contract's 400
  }
  throw invalidRequest([{ path: "cursor", message: "Not a cursor this list gave out." }]);
}
