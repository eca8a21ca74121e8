import { sql } from "drizzle-orm";
import { attemptCode, codeExpired, codeHash } from "../challenges/codes.js";
import type { Db } from "../context.js";
import { newId } from "../crypto/random.js";
import { rawStatement } from "../db/raw.js";
import { statementTemplate } from "../db/templates.js";
import { auditEvents, recoveryMethods, resets } from "../db/schema.js";
import { ApiError } from "../errors.js";
import { resetBlocked } from "./authenticate-reset.js";
import type { LoadedReset } from "./authenticate-reset.js";
import { failureCounts, failureStatements, triesLeft } from "./failures.js";
import { mayProve, policySetting } from "./rules-sql.js";
import { DEFAULT_POLICY } from "../../../shared/policy/defaults.js";

/**
 * The batch's statements after authenticateReset's reads, in order: mark the live code only while
 * `mayProve` holds (the reset stands, its user is not blocked, the method may still be proved), so a
 * request that authenticateReset will refuse writes nothing; spend an attempt of the marked code if
 * the code is wrong or consume it if right; count a spent attempt as a failed identity check and set the block when it reaches the
 * threshold; record a consumed code on the reset. Each write is one statement, so the counts stay exact
 * however many guesses race (5 wrong entries per code, the block on the failure that reaches
 * `resetFailuresToBlock`).
 */
const attemptStatements = statementTemplate(["tokenHash", "resetId", "methodId", "hash", "attempt", "now", "ip"], (db, p) => {
  const userId = sql`(select ${resets.userId} from ${resets} where ${resets.tokenHash} = ${p.tokenHash})`;
  const code = attemptCode(db, { methodId: p.methodId, flow: p.resetId, hash: p.hash, attempt: p.attempt, now: p.now, onlyIf: mayProve({ tokenHash: p.tokenHash, resetId: p.resetId, methodId: p.methodId, now: p.now }) });
  const methodType = sql`(select ${recoveryMethods.type} from ${recoveryMethods} where ${recoveryMethods.id} = ${p.methodId})`;
  const lockout = {
    resetFailuresToBlock: policySetting("$.lockout.resetFailuresToBlock", DEFAULT_POLICY.lockout.resetFailuresToBlock),
    resetBlockHours: policySetting("$.lockout.resetBlockHours", DEFAULT_POLICY.lockout.resetBlockHours),
  };
  return [
    code.claim,
    code.spend,
    code.consume,
    ...failureStatements({ db, now: p.now, ip: p.ip, userId, methodId: p.methodId, methodType, resetId: p.resetId, lockout, reason: "invalid_code", onlyIf: code.spent }),
    // mayProve held for the consume in this same transaction: the method is not verified yet.
    db
      .update(resets)
      .set({
        verifiedMethodIds: sql`json_insert(${resets.verifiedMethodIds}, '$[#]', ${p.methodId})`,
        status: sql`case when json_array_length(${resets.verifiedMethodIds}) + 1 >= ${resets.methodsRequired} then 'verified' else 'verifying' end`,
      })
      .where(sql`${resets.id} = ${p.resetId} and ${code.consumed}`),
    rawStatement(
      db,
      sql`insert into ${auditEvents} (at, type, actor_id, subject_id, ip, outcome, detail)
        select ${p.now}, 'reset.verified', null, ${userId}, ${p.ip}, 'success', json_object('resetId', ${p.resetId}, 'methodType', ${methodType}) where ${code.consumed}`,
    ),
  ] as const;
});

/**
 * A code sent by email or SMS, checked in the same one D1 batch that authenticates the reset (issue 13):
 * the HMAC of the typed code is computed before the batch, which decides and writes (attemptStatements);
 * the answer is read from what the batch wrote.
 */
export async function codeAttempt(p: { db: Db; secret: string; resetId: string; methodId: string; code: string; now: number; ip: string | null }) {
  const attempt = newId("try");
  const hash = await codeHash(p.secret, p.methodId, p.resetId, p.code);
  return {
    statements: (tokenHash: string) => attemptStatements(p.db, { tokenHash, resetId: p.resetId, methodId: p.methodId, hash, attempt, now: p.now, ip: p.ip }),
  };
}

export type CodeAttemptResults = readonly [unknown, { attemptsLeft: number }[], { id: string }[], unknown, ...unknown[]];

/** Returns if the batch consumed the code (the reset records it); else throws the refusal it earned. */
export function codeAttemptOutcome(loaded: LoadedReset, results: CodeAttemptResults, now: number): void {
  const [, spent, consumed, counted] = results;
  if (consumed.length === 1) return;
  // Neither spent nor consumed: no live code (never sent, replaced, used, expired or out of attempts).
  if (spent.length === 0) throw codeExpired();
  const left = triesLeft(loaded.policy, failureCounts(counted));
  if (left === 0) throw resetBlocked(now + loaded.policy.lockout.resetBlockHours * 3_600_000, now);
  throw new ApiError(400, "invalid_code", "That code is not right. Check it and try again.", [{ attemptsLeft: Math.min(left, spent[0]!.attemptsLeft) }]);
}
