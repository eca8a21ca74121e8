import type { SQL } from "drizzle-orm";
import { eq, sql } from "drizzle-orm";
import type { Policy } from "../../../shared/policy/schema.js";
import type { Db } from "../context.js";
import { hmacHex } from "../crypto/token-hash.js";
import { signInLockouts, users } from "../db/schema.js";
import { rateLimited } from "../errors.js";

const MAX_LOCK_SECONDS = 3600;

export const lockoutOf = (db: Db, username: string) =>
  db.select().from(signInLockouts).where(eq(signInLockouts.username, username)).limit(1);

/**
 * The lockout row of a signed-in user, named by `userId` (a subquery, for `authenticate`'s batch).
 * Usernames are stored normalised, so this is the row sign-in reads for that user.
 */
export const lockoutOfUser = (db: Db, userId: SQL) =>
  db
    .select()
    .from(signInLockouts)
    .where(sql`${signInLockouts.username} = (select ${users.username} from ${users} where ${users.id} = ${userId})`)
    .limit(1);

/**
 * Spec §6: while the name is locked, no password is checked: sign-in and POST /v1/me/password
 * answer 429 `rate_limited` with Retry-After, and the guess is neither verified nor counted.
 */
export function assertNotLocked(lock: { lockedUntil: number } | undefined, now: number): void {
  if (lock && lock.lockedUntil > now) {
    throw rateLimited((lock.lockedUntil - now) / 1000, "Too many wrong passwords. Try again later.");
  }
}

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
