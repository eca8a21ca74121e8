import type { SQL } from "drizzle-orm";
import { and, eq, or, sql } from "drizzle-orm";
import type { Policy } from "../../../shared/policy/schema.js";
import type { Db } from "../context.js";
import { rawStatement } from "../db/raw.js";
import { auditEvents, users } from "../db/schema.js";
import { countNow, incrementCounter } from "../limits/counters.js";

/** Counter keys of failed identity checks (admin unlock and a completed reset clear them). */
export const FAILURE_KEYS = {
  user: (userId: string) => `reset-fail:user:${userId}`,
  method: (methodId: string) => `reset-fail:method:${methodId}`,
};

const HOUR = 3_600_000;

/**
 * One failed check. The user, the method's type and the policy's lockout may be SQL (subqueries) when
 * the check is decided in the same batch that reads them; `onlyIf` is then the SQL that says it failed.
 */
export interface Failure {
  db: Db;
  now: number;
  ip: string | null;
  userId: string | SQL;
  methodId: string;
  methodType: string | SQL;
  resetId: string;
  lockout: { resetFailuresToBlock: number | SQL; resetBlockHours: number | SQL };
  reason: "invalid_code" | "code_expired" | "invalid_answers";
  onlyIf?: SQL;
}

/** A failed check's lockout settings, from a policy the flow has already read. */
export const lockoutOf = (policy: Policy) => ({ resetFailuresToBlock: policy.lockout.resetFailuresToBlock, resetBlockHours: policy.lockout.resetBlockHours });

/**
 * One failed identity check (spec §6): counted for the user (24 h) and the method (1 h) in single
 * UPSERTs, and the block set in the same batch once either count reaches `resetFailuresToBlock` — so
 * however many wrong guesses arrive at once, each is counted and the block cannot be skipped.
 * Returns the statements; the first two return the new counts.
 */
export function failureStatements(f: Failure) {
  const { db, now } = f;
  const threshold = f.lockout.resetFailuresToBlock;
  const failed = f.onlyIf ?? sql`1`;
  // Keys built in SQL: the user may be a subquery, and the method a statement template's placeholder.
  const userKey = sql`${FAILURE_KEYS.user("")} || ${f.userId}`;
  const methodKey = sql`${FAILURE_KEYS.method("")} || ${f.methodId}`;
  const reached = or(sql`${countNow(userKey, now)} >= ${threshold}`, sql`${countNow(methodKey, now)} >= ${threshold}`)!;
  const audit = (type: string, reason: string, condition: SQL) =>
    rawStatement(
      db,
      sql`insert into ${auditEvents} (at, type, actor_id, subject_id, ip, outcome, detail)
        select ${now}, ${type}, null, ${f.userId}, ${f.ip}, 'failure', json_object('resetId', ${f.resetId}, 'methodType', ${f.methodType}, 'reason', ${reason})
        where ${condition}`,
    );
  return [
    incrementCounter(db, { key: userKey, windowMs: 24 * HOUR }, now, failed),
    incrementCounter(db, { key: methodKey, windowMs: HOUR }, now, failed),
    audit("reset.verify_failed", f.reason, failed),
    // Only the failure that crosses the threshold sets the block (and audits it), not every one after.
    audit("reset.blocked", "verify_failures", sql`${failed} and ${reached} and not exists (select 1 from ${users} where ${users.id} = ${f.userId} and ${users.resetBlockedUntil} > ${now})`),
    db
      .update(users)
      .set({ resetBlockedUntil: sql`${now} + ${f.lockout.resetBlockHours} * ${HOUR}` })
      .where(and(eq(users.id, f.userId), reached, failed)),
  ] as const;
}

/** Tries left before the block, from the counts the failure statements returned. */
export function triesLeft(policy: Policy, counts: { user: number; method: number }): number {
  return Math.max(0, policy.lockout.resetFailuresToBlock - Math.max(counts.user, counts.method));
}
