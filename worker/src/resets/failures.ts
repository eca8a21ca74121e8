import type { SQL } from "drizzle-orm";
import { and, eq, or, sql } from "drizzle-orm";
import type { Policy } from "../../../shared/policy/schema.js";
import type { Db } from "../context.js";
import { rawStatement } from "../db/raw.js";
import { auditEvents, users } from "../db/schema.js";
import { countedRows, countNow, incrementCounters } from "../limits/counters.js";

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
 * One failed identity check (spec §6): counted for the user (24 h) and the method (1 h) in one UPSERT,
 * and the block set in the same batch once either count reaches `resetFailuresToBlock` — so however
 * many wrong guesses arrive at once, each is counted and the block cannot be skipped. Returns the
 * statements; the first returns the new counts (`failureCounts`). The failure's audit row and, for the
 * failure that reaches the block, the block's are one INSERT: each statement of a D1 batch has a fixed
 * cost (issue 13).
 */
export function failureStatements(f: Failure) {
  const { db, now } = f;
  const threshold = f.lockout.resetFailuresToBlock;
  const failed = f.onlyIf ?? sql`1`;
  // Keys built in SQL: the user may be a subquery, and the method a statement template's placeholder.
  const userKey = sql`${FAILURE_KEYS.user("")} || ${f.userId}`;
  const methodKey = sql`${FAILURE_KEYS.method("")} || ${f.methodId}`;
  const reached = or(sql`${countNow(userKey, now)} >= ${threshold}`, sql`${countNow(methodKey, now)} >= ${threshold}`)!;
  // Only the failure that crosses the threshold sets the block (and audits it), not every one after.
  const blocks = sql`${reached} and not exists (select 1 from ${users} where ${users.id} = ${f.userId} and ${users.resetBlockedUntil} > ${now})`;
  return [
    incrementCounters(
      db,
      [
        { key: userKey, windowMs: 24 * HOUR, kind: "user" },
        { key: methodKey, windowMs: HOUR, kind: "method" },
      ],
      now,
      () => failed,
      { returning: true },
    ),
    rawStatement(
      db,
      sql`insert into ${auditEvents} (at, type, actor_id, subject_id, ip, outcome, detail)
        select ${now}, column1, null, ${f.userId}, ${f.ip}, 'failure', json_object('resetId', ${f.resetId}, 'methodType', ${f.methodType}, 'reason', column2)
        from (values ('reset.verify_failed', ${f.reason}, 1), ('reset.blocked', 'verify_failures', ${blocks})) where ${failed} and column3`,
    ),
    db
      .update(users)
      .set({ resetBlockedUntil: sql`${now} + ${f.lockout.resetBlockHours} * ${HOUR}` })
      .where(and(eq(users.id, f.userId), reached, failed)),
  ] as const;
}

/** The user's and the method's failure counts that failureStatements' first statement counted (0 where it counted nothing). */
export function failureCounts(result: unknown): { user: number; method: number } {
  const rows = countedRows(result);
  const count = (prefix: string) => rows.find((r) => r.key.startsWith(prefix))?.count ?? 0;
  return { user: count(FAILURE_KEYS.user("")), method: count(FAILURE_KEYS.method("")) };
}

/** Tries left before the block, from the counts the failure statements returned. */
export function triesLeft(policy: Policy, counts: { user: number; method: number }): number {
  return Math.max(0, policy.lockout.resetFailuresToBlock - Math.max(counts.user, counts.method));
}
