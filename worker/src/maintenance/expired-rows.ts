import { and, eq, lte } from "drizzle-orm";
import { drizzle } from "drizzle-orm/d1";
import { rateCounters, resets, sessions, signInLockouts, verificationCodes } from "../db/schema.js";
import { deleteInChunks } from "./chunked-delete.js";

const DAY_MS = 86_400_000;

/**
 * Rows that no longer change any answer, deleted daily (issue 11): otherwise a flood of made-up
 * usernames (each sign-in or reset start writes a lockout row and counters) grows D1 without bound.
 * TOTP replay protection is a column of its method (`lastUsedStep`), so it has nothing to prune.
 */
export async function pruneExpiredRows(d1: D1Database, now: number) {
  const db = drizzle(d1);
  return {
    // authenticate reads only unexpired sessions: an expired one already answers like a missing one.
    sessions: await deleteInChunks(db, sessions, sessions.tokenHash, lte(sessions.expiresAt, now)),
    // checkCode answers a missing code exactly as an expired one (code_expired), and a code outlives
    // the 60 s resend cooldown that reads its row.
    codes: await deleteInChunks(db, verificationCodes, verificationCodes.id, lte(verificationCodes.expiresAt, now)),
    // A day's grace keeps "this reset has expired" (410) for a user who comes back late, instead of
    // 401. Nothing else reads a finished reset: reports and the admin's history come from the audit log.
    resets: await deleteInChunks(db, resets, resets.id, lte(resets.expiresAt, now - DAY_MS)),
    // A counter whose window has ended counts as 0 (countNow, incrementCounter): gone is the same.
    rateCounters: await deleteInChunks(db, rateCounters, rateCounters.key, lte(rateCounters.windowEnd, now)),
    lockouts: await deleteInChunks(db, signInLockouts, signInLockouts.username, idleLockout(now)),
  };
}

/**
 * A lockout row that may be forgotten: never locked in its current run of failures (lockCount 0, so
 * fewer than signInThreshold ≤ 50 failures, no doubling to keep, and nowhere near a cap of 100
 * consecutive failures, which needs several locks), not locked now, and untouched for a day.
 * Forgetting it gives a patient guesser at most threshold − 1 guesses per name per quiet day (9 by
 * default) without ever meeting a lock: far fewer than the locks let through, so the lockout's bound
 * stands, while a made-up username tried once is gone the next day. Rows with a lock history stay
 * until a right password, an admin unlock or a password set clears them: they are what the
 * doubling and any cap on consecutive failures count on. Known and unknown names are pruned alike,
 * so when a count restarts says nothing about whether an account exists.
 */
const idleLockout = (now: number) =>
  and(eq(signInLockouts.lockCount, 0), lte(signInLockouts.lockedUntil, now), lte(signInLockouts.updatedAt, now - DAY_MS))!;
