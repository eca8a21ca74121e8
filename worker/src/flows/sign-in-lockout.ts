import { eq, sql } from "drizzle-orm";
import type { Policy } from "../../../shared/policy/schema.js";
import type { Db } from "../context.js";
import { hmacHex } from "../crypto/token-hash.js";
import { signInLockouts } from "../db/schema.js";

const MAX_LOCK_SECONDS = 3600;

export const lockoutOf = (db: Db, username: string) =>
  db.select().from(signInLockouts).where(eq(signInLockouts.username, username)).limit(1);

/**
 * Counts one wrong password in a single UPSERT, so 50 concurrent wrong guesses count as 50 (spec §6).
 * A fingerprint among the last three is a user retyping the same wrong password: not counted again
 * (Entra smart lockout). Reaching the threshold locks for lockSeconds × 2^(earlier locks), at most 1 h,
 * and starts the count again. SQLite evaluates every SET expression against the old row.
 */
/** Keyed with the server secret: a database dump alone cannot be used to test guesses against it. */
export const wrongPasswordFingerprint = (secret: string, username: string, password: string) =>
  hmacHex(secret, `lockout\0${username}\0${password.normalize("NFKC")}`);

export function recordWrongPassword(db: Db, username: string, fingerprint: string, now: number, policy: Policy) {
  const s = { threshold: policy.lockout.signInThreshold, lockSeconds: policy.lockout.signInLockSeconds };
  const repeated = sql`${fingerprint} in (select value from json_each(${signInLockouts.recentWrong}))`;
  const locks = sql`(not ${repeated} and ${signInLockouts.failures} + 1 >= ${s.threshold})`;
  const lockMs = sql`min(${s.lockSeconds} * (1 << min(${signInLockouts.lockCount}, 12)), ${MAX_LOCK_SECONDS}) * 1000`;
  return db
    .insert(signInLockouts)
    .values({ username, failures: 1, lockCount: 0, lockedUntil: 0, recentWrong: JSON.stringify([fingerprint]), updatedAt: now })
    .onConflictDoUpdate({
      target: signInLockouts.username,
      set: {
        failures: sql`case when ${repeated} then ${signInLockouts.failures} when ${locks} then 0 else ${signInLockouts.failures} + 1 end`,
        lockCount: sql`case when ${locks} then ${signInLockouts.lockCount} + 1 else ${signInLockouts.lockCount} end`,
        lockedUntil: sql`case when ${locks} then ${now} + ${lockMs} else ${signInLockouts.lockedUntil} end`,
        recentWrong: sql`case when ${repeated} then ${signInLockouts.recentWrong} else json_array(${fingerprint}, json_extract(${signInLockouts.recentWrong}, '$[0]'), json_extract(${signInLockouts.recentWrong}, '$[1]')) end`,
        updatedAt: now,
      },
    })
    .returning();
}

export const clearLockout = (db: Db, username: string) => db.delete(signInLockouts).where(eq(signInLockouts.username, username));
