import { eq, sql } from "drizzle-orm";
import type { Db } from "../context.js";
import { rateCounters } from "../db/schema.js";
import { incrementCounter } from "../limits/counters.js";
import { mayProve } from "./rules-sql.js";

/**
 * An app's code and security answers are checked in JS between a reset's two batches (the app's secret
 * is sealed, answers need the password KDF), so the failure that counts a wrong one is written after
 * the check. Without a lease, many guesses sent at once would all be checked before the failure that
 * reaches `resetFailuresToBlock` set the block: the limit must hold however many arrive at once. So a
 * user has one such check in flight at a time. The lease is a counter row that only the first request
 * finds empty, taken in authenticateReset's batch and dropped by the verify's own batch; a request
 * that dies in between holds it for LEASE_MS at most.
 */
const LEASE_MS = 10_000;
const PREFIX = "reset-check:";

export function takeCheckLease(db: Db, p: { tokenHash: string; resetId: string; methodId: string; now: number }) {
  // Only for a check that will run: a request its reset refuses (a wrong id in the path, a finished,
  // expired or blocked reset) would otherwise hold the user's lease with nothing to release it, and
  // anyone with any token of theirs could keep their real checks refused.
  const checkedInJs = sql`(${mayProve(p)} and exists (select 1 from recovery_methods m where m.id = ${p.methodId} and m.type in ('totp', 'security_questions')))`;
  const key = sql`${PREFIX} || (select user_id from resets where token_hash = ${p.tokenHash})`;
  return incrementCounter(db, { key, windowMs: LEASE_MS }, p.now, checkedInJs);
}

/** "none": no lease needed (not a method checked in JS); "held": this request has it; "busy": another check is in flight. */
export function leaseOutcome(rows: { count: number }[]): "none" | "held" | "busy" {
  if (rows.length === 0) return "none";
  return rows[0]!.count === 1 ? "held" : "busy";
}

export const releaseCheckLease = (db: Db, userId: string) => db.delete(rateCounters).where(eq(rateCounters.key, `${PREFIX}${userId}`));
