import { and, eq, lte, or, sql } from "drizzle-orm";
import { drizzle } from "drizzle-orm/d1";
import { directorySyncs, rateCounters, resets, sessions, signInLockouts, verificationCodes } from "../db/schema.js";
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
    // One row per sync (every five minutes by default), and the name claims of an abandoned one with
    // it (cascade): the admin's view reads only the last finished sync, which always stays.
    directorySyncs: await deleteInChunks(db, directorySyncs, directorySyncs.id, oldSync(now)),
  };
}

const SYNC_HISTORY_DAYS = 30;
const oldSync = (now: number) =>
  and(
    lte(directorySyncs.startedAt, now - SYNC_HISTORY_DAYS * DAY_MS),
    sql`${directorySyncs.id} is not (select id from ${directorySyncs} where finished_at is not null order by finished_at desc limit 1)`,
  )!;

/**
 * A lockout row that may be forgotten, known and unknown names alike (so when a count restarts says
 * nothing about whether an account exists), and never while locked (a hard lock never runs out):
 * - never locked in its current run of failures (lockCount 0: fewer than signInThreshold ≤ 50
 *   failures, no doubling to keep) and untouched for a day. A patient guesser gets at most
 *   threshold − 1 guesses per name per quiet day (9 by default) without meeting a lock: far fewer than
 *   the locks let through, while a made-up username tried once is gone the next day;
 * - with a lock history but untouched for LOCK_HISTORY_DAYS. Such a row is the doubling and the count
 *   toward the hard cap of 100 consecutive failures, so it must outlive any pause a guesser would
 *   take; but a made-up name that was once locked can never be cleared by a right password, and
 *   keeping it forever would let a flood of made-up names grow D1 without bound. Forgetting it after
 *   a month allows at most 99 more guesses per name per month (the cap's own bound).
 */
const LOCK_HISTORY_DAYS = 30;
const idleLockout = (now: number) =>
  and(
    lte(signInLockouts.lockedUntil, now),
    or(and(eq(signInLockouts.lockCount, 0), lte(signInLockouts.updatedAt, now - DAY_MS)), lte(signInLockouts.updatedAt, now - LOCK_HISTORY_DAYS * DAY_MS)),
  )!;
