import type { Db } from "../context.js";
import { sessions } from "../db/schema.js";
import { newToken } from "../crypto/random.js";
import { sha256Hex } from "../crypto/token-hash.js";

export const SESSION_TTL_MS = 8 * 3600 * 1000;

/** A new session: the caller gets the token once; the database keeps only its SHA-256. */
export async function newSession(db: Db, userId: string, now: number) {
  const token = newToken();
  const expiresAt = now + SESSION_TTL_MS;
  const insert = db.insert(sessions).values({ tokenHash: await sha256Hex(token), userId, createdAt: now, expiresAt });
  return { token, expiresAt, insert };
}
