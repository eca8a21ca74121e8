import { encodeBase32UpperCaseNoPadding } from "@oslojs/encoding";
import { createTOTPKeyURI, generateHOTP } from "@oslojs/otp";
import { constantTimeEqual } from "../crypto/constant-time.js";
import { randomBytes } from "../crypto/random.js";
import { seal, unseal } from "../crypto/seal.js";

/** RFC 6238 as authenticator apps expect by default: SHA-1, 6 digits, 30 s steps, 160-bit secret. */
export const TOTP_DIGITS = 6;
export const TOTP_PERIOD_S = 30;
const SEAL_PURPOSE = "totp-seed";

export function newTotpSecret(): Uint8Array {
  return randomBytes(20);
}

export const totpSecretText = (key: Uint8Array) => encodeBase32UpperCaseNoPadding(key);

/** `otpauth://totp/<org>:<username>?secret=…&issuer=<org>&algorithm=SHA1&digits=6&period=30`. */
export const otpauthUri = (orgName: string, username: string, key: Uint8Array) => createTOTPKeyURI(orgName, username, key, TOTP_PERIOD_S, TOTP_DIGITS);

export const sealTotpSecret = (serverKey: string, methodId: string, key: Uint8Array) => seal(serverKey, SEAL_PURPOSE, key, methodId);
export const unsealTotpSecret = (serverKey: string, methodId: string, sealed: string) => unseal(serverKey, SEAL_PURPOSE, sealed, methodId);

export const totpStep = (nowMs: number) => Math.floor(nowMs / 1000 / TOTP_PERIOD_S);

/**
 * The time step the code belongs to — the current or the previous one (clock drift, a code typed just
 * as it changed) — or null. A step at or before `lastUsedStep` is refused: each code works once
 * (RFC 6238 §5.2), across registration and every reset.
 */
export function matchTotp(key: Uint8Array, code: string, nowMs: number, lastUsedStep: number | null): number | null {
  const current = totpStep(nowMs);
  const given = new TextEncoder().encode(code);
  let matched: number | null = null;
  for (const step of [current, current - 1]) {
    const expected = new TextEncoder().encode(generateHOTP(key, BigInt(step), TOTP_DIGITS));
    // Check both steps every time: no early exit that timing could reveal.
    if (constantTimeEqual(expected, given) && matched === null) matched = step;
  }
  if (matched === null || (lastUsedStep !== null && matched <= lastUsedStep)) return null;
  return matched;
}
