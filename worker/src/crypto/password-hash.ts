import { decodeBase64IgnorePadding, encodeBase64NoPadding } from "@oslojs/encoding";
import type { KdfParams } from "./argon2id.js";
import { argon2id } from "./argon2id.js";
import { constantTimeEqual } from "./constant-time.js";
import { randomBytes } from "./random.js";

export type { KdfParams };

/**
 * `default` is OWASP's first Argon2id configuration (19 MiB, 2 passes, 1 lane); Argon2id rather than
 * PBKDF2, whose WebCrypto form deployed Workers cap at 100k iterations. `test` exists only for the
 * vitest pool, whose suites hash hundreds of times (bursts of 30 sign-ins): at `default` their test time
 * grows about 3.5x. password-hash.test.ts runs `default` there; wrangler.toml pins it.
 */
export const KDF_PROFILES = {
  default: { m: 19456, t: 2, p: 1 },
  test: { m: 64, t: 1, p: 1 },
} as const satisfies Record<string, KdfParams>;

export type KdfProfile = keyof typeof KDF_PROFILES;

export function kdfParams(profile: string | undefined): KdfParams {
  return profile === "test" ? KDF_PROFILES.test : KDF_PROFILES.default;
}

const SALT_BYTES = 16;
const HASH_BYTES = 32;

/** NFKC so that the same password typed on another keyboard or OS still matches (NIST 800-63B §3.1.1.2). */
function passwordBytes(password: string): Uint8Array {
  return new TextEncoder().encode(password.normalize("NFKC"));
}

function derive(password: string, salt: Uint8Array, params: KdfParams): Uint8Array {
  return argon2id(passwordBytes(password), salt, params, HASH_BYTES);
}

/** PHC string format, so the algorithm and its parameters travel with each hash and can be raised later. */
export function hashPassword(password: string, params: KdfParams): string {
  const salt = randomBytes(SALT_BYTES);
  const hash = derive(password, salt, params);
  return `$argon2id$v=19$m=${params.m},t=${params.t},p=${params.p}$${encodeBase64NoPadding(salt)}$${encodeBase64NoPadding(hash)}`;
}

interface ParsedHash {
  params: KdfParams;
  salt: Uint8Array;
  hash: Uint8Array;
}

const PHC = /^\$argon2id\$v=19\$m=(\d+),t=(\d+),p=(\d+)\$([A-Za-z0-9+/]+)\$([A-Za-z0-9+/]+)$/;

function parse(encoded: string): ParsedHash | null {
  const match = PHC.exec(encoded);
  if (!match) return null;
  return {
    params: { m: Number(match[1]), t: Number(match[2]), p: Number(match[3]) },
    salt: decodeBase64IgnorePadding(match[4]!),
    hash: decodeBase64IgnorePadding(match[5]!),
  };
}

export function verifyPassword(password: string, encoded: string): boolean {
  const parsed = parse(encoded);
  if (!parsed) return false;
  return constantTimeEqual(derive(password, parsed.salt, parsed.params), parsed.hash);
}

/**
 * The same work as a real verification, for accounts that do not exist or have no password, so that
 * the response time does not tell an attacker which usernames are real (spec §9, enumeration).
 */
export function verifyNothing(password: string, params: KdfParams): false {
  derive(password, new Uint8Array(SALT_BYTES), params);
  return false;
}

export function needsRehash(encoded: string, params: KdfParams): boolean {
  const parsed = parse(encoded);
  return !parsed || parsed.params.m !== params.m || parsed.params.t !== params.t || parsed.params.p !== params.p;
}
