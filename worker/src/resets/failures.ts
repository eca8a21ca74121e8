import { and, eq, or, sql } from "drizzle-orm";
import type { Policy } from "../../../shared/policy/schema.js";
import { auditInsert, auditInsertIf } from "../audit.js";
import type { FlowContext } from "../context.js";
import { users } from "../db/schema.js";
import { countNow, incrementCounter } from "../limits/counters.js";

/** Counter keys of failed identity checks (admin unlock and a completed reset clear them). */
export const FAILURE_KEYS = {
  user: (userId: string) => `reset-fail:user:${userId}`,
  method: (methodId: string) => `reset-fail:method:${methodId}`,
};

const HOUR = 3_600_000;

export interface Failure {
  ctx: FlowContext;
  policy: Policy;
  userId: string;
  methodId: string;
  methodType: string;
  resetId: string;
  reason: "invalid_code" | "code_expired" | "invalid_answers";
}

/**
 * One failed identity check (spec §6): counted for the user (24 h) and the method (1 h) in single
 * UPSERTs, and the block set in the same batch once either count reaches `resetFailuresToBlock` — so
 * however many wrong guesses arrive at once, each is counted and the block cannot be skipped.
 * Returns the statements; the first two return the new counts.
 */
export function failureStatements(f: Failure) {
  const { db, now } = f.ctx;
  const threshold = f.policy.lockout.resetFailuresToBlock;
  const blockedUntil = now + f.policy.lockout.resetBlockHours * HOUR;
  const userKey = FAILURE_KEYS.user(f.userId);
  const methodKey = FAILURE_KEYS.method(f.methodId);
  const reached = or(sql`${countNow(userKey, now)} >= ${threshold}`, sql`${countNow(methodKey, now)} >= ${threshold}`)!;
  const detail = { resetId: f.resetId, methodType: f.methodType };
  return [
    incrementCounter(db, { key: userKey, windowMs: 24 * HOUR }, now),
    incrementCounter(db, { key: methodKey, windowMs: HOUR }, now),
    auditInsert(db, { type: "reset.verify_failed", at: now, subjectId: f.userId, ip: f.ctx.ip, outcome: "failure", detail: { ...detail, reason: f.reason } }),
    // Only the failure that crosses the threshold sets the block (and audits it), not every one after.
    auditInsertIf(db, { type: "reset.blocked", at: now, subjectId: f.userId, ip: f.ctx.ip, outcome: "failure", detail: { ...detail, reason: "verify_failures" } }, and(reached, sql`not exists (select 1 from ${users} where ${users.id} = ${f.userId} and ${users.resetBlockedUntil} > ${now})`)!),
    db.update(users).set({ resetBlockedUntil: blockedUntil }).where(and(eq(users.id, f.userId), reached)),
  ] as const;
}

/** Tries left before the block, from the counts the failure statements returned. */
export function triesLeft(policy: Policy, counts: { user: number; method: number }): number {
  return Math.max(0, policy.lockout.resetFailuresToBlock - Math.max(counts.user, counts.method));
}
