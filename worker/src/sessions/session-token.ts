import { type SQL, sql } from "drizzle-orm";
import type { Db } from "../context.js";
import { rawStatement } from "../db/raw.js";
import { sessions } from "../db/schema.js";
import { newToken } from "../crypto/random.js";
import { sha256Hex } from "../crypto/token-hash.js";

export const SESSION_TTL_MS = 8 * 3600 * 1000;

/** How long after the password was proved a session may change recovery methods (contract: Sessions). */
export const FRESH_MS = 10 * 60 * 1000;

/**
 * A new session: the caller gets the token once; the database keeps only its SHA-256. Fresh: the password
 * was just proved. Inserted only while `onlyIf` holds, in the batch that writes it.
 */
export async function newSession(db: Db, userId: string, now: number, onlyIf: SQL) {
  const token = newToken();
  const tokenHash = await sha256Hex(token);
  const expiresAt = now + SESSION_TTL_MS;
  const insert = rawStatement(
    db,
    sql`insert into ${sessions} (token_hash, user_id, created_at, expires_at, proved_at) select ${tokenHash}, ${userId}, ${now}, ${expiresAt}, ${now} where ${onlyIf}`,
  );
  /** True in the same batch, after `insert`, once the session exists. */
  const inserted = sql`exists (select 1 from ${sessions} where ${sessions.tokenHash} = ${tokenHash})`;
  return { token, expiresAt, insert, inserted };
}
