import type { Db } from "../context.js";
import { sessions } from "../db/schema.js";
import { newToken } from "../crypto/random.js";
import { sha256Hex } from "../crypto/token-hash.js";

export const SESSION_TTL_MS = 8 * 3600 * 1000;

/** How long after the password was proved a session may change recovery methods (contract: Sessions). */
export const FRESH_MS = 10 * 60 * 1000;

/** A new session: the caller gets the token once; the database keeps only its SHA-256. Fresh: the password was just proved. */
export async function newSession(db: Db, userId: string, now: number) {
  const token = newToken();
  const expiresAt = now + SESSION_TTL_MS;
  const insert = db.insert(sessions).values({ tokenHash: await sha256Hex(token), userId, createdAt: now, expiresAt, provedAt: now });
  return { token, expiresAt, insert };
}
