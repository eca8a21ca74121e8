import type { SQL } from "drizzle-orm";
import { and, eq, isNull, lt, or, sql } from "drizzle-orm";
import type { Reset } from "../../../shared/api/resets.js";
import { auditInsertIf } from "../audit.js";
import type { FlowContext } from "../context.js";
import { runBatch } from "../db/batch.js";
import { recoveryMethods, resets, users } from "../db/schema.js";
import type { MethodRow } from "../directory/views.js";
import { ApiError, unauthorized } from "../errors.js";
import { verifyAnswer } from "../methods/answers.js";
import type { StoredAnswer } from "../methods/answers.js";
import { strategyOf } from "../methods/strategy.js";
import { matchTotp, TOTP_DIGITS, unsealTotpSecret } from "../methods/totp.js";
import { secretKey } from "../secrets.js";
import type { LoadedReset } from "./authenticate-reset.js";
import { resetBlocked } from "./authenticate-reset.js";
import { assertVerifying, enoughVerified, pickMethod, sameTypeTwice } from "./challenge.js";
import type { Failure } from "./failures.js";
import { failureCounts, failureStatements, lockoutOf, triesLeft } from "./failures.js";
import { releaseCheckLease } from "./check-lease.js";
import { mayProve } from "./rules-sql.js";
import { codeAttemptOutcome } from "./verify-code.js";
import type { CodeAttemptResults } from "./verify-code.js";
import { toReset } from "./view.js";

export interface Verify {
  ctx: FlowContext;
  loaded: LoadedReset;
  methodId: string;
  code?: string;
  answers?: { questionId: string; answer: string }[];
  /** An email or SMS code's attempt, already decided in authenticateReset's batch (verify-code.ts). */
  codeResults?: CodeAttemptResults;
  /** Whether this request holds the user's lease for a check in JS (check-lease.ts). */
  lease: "none" | "held" | "busy";
}

/** `proven` is SQL that holds only if this proof may count; `after` runs once the reset is updated. On failure, `statements` record it. */
type Proof = { ok: true; proven: SQL; after: unknown[] } | { ok: false; reason: Failure["reason"]; statements: unknown[] };

/**
 * Checks an app's code or the answers (a second round trip: the TOTP secret and the answer hashes are
 * read by the first, and checking them needs JS); says which statements make it count and which SQL
 * says it did.
 */
async function prove(v: Verify, method: MethodRow): Promise<Proof> {
  const { db, now } = v.ctx;
  const kind = strategyOf(method).kind;
  if (kind === "totp") {
    if (!v.code) throw new ApiError(400, "invalid_request", "Enter the code from your app.", [{ path: "code", message: "Required." }]);
    const key = await unsealTotpSecret(secretKey(v.ctx.env), method.id, method.secret!);
    const step = matchTotp(key, v.code, now, method.lastUsedStep);
    if (step === null) return { ok: false, reason: "invalid_code", statements: [] };
    // The reset counts the code only while its step is still free, and the step is taken in the same
    // batch (one transaction): a code works once across all resets and registration, even in a race.
    const stepFree = or(isNull(recoveryMethods.lastUsedStep), lt(recoveryMethods.lastUsedStep, step))!;
    return {
      ok: true,
      proven: sql`exists (select 1 from ${recoveryMethods} where ${recoveryMethods.id} = ${method.id} and ${stepFree})`,
      after: [db.update(recoveryMethods).set({ lastUsedStep: step }).where(and(eq(recoveryMethods.id, method.id), stepFree))],
    };
  }
  const draw = method.questionDraw;
  if (!draw || !v.answers) throw new ApiError(409, "conflict", "Ask for the questions first.");
  // Drawn before the policy asked for more answers: not the check the policy now asks for.
  if (draw.length < v.loaded.policy.securityQuestions.numberToReset) throw new ApiError(409, "conflict", "Ask for the questions again.");
  const given = new Map(v.answers.map((a) => [a.questionId, a.answer]));
  if (given.size !== draw.length || !draw.every((id) => given.has(id))) {
    throw new ApiError(400, "invalid_request", "Answer exactly the questions you were asked.", [{ path: "answers", message: "Answer each question asked, once." }]);
  }
  const stored = new Map((JSON.parse(method.secret!) as StoredAnswer[]).map((a) => [a.questionId, a.hash]));
  // Every answer is checked (no early exit), so timing does not show which one was wrong.
  const results = v.ctx.timing.kdf(() => draw.map((id) => verifyAnswer(given.get(id)!, stored.get(id)!)));
  const clearDraw = db.update(recoveryMethods).set({ questionDraw: null }).where(eq(recoveryMethods.id, method.id));
  // Entra: a wrong answer restarts the random choice, so the next challenge draws anew.
  if (!results.every(Boolean)) return { ok: false, reason: "invalid_answers", statements: [clearDraw] };
  return { ok: true, proven: sql`1`, after: [clearDraw] };
}

/** POST /v1/resets/{id}/verify. */
/** Another check in JS for this user holds the lease (check-lease.ts). */
const checkBusy = () => new ApiError(409, "conflict", "Another check for this account is under way. Try again in a moment.");

export async function verify(v: Verify): Promise<Reset> {
  if (v.lease === "busy") throw checkBusy();
  const lease: Lease = { release: v.lease === "held" ? [releaseCheckLease(v.ctx.db, v.loaded.user.id)] : [], released: false };
  try {
    return await verifyHolding(v, lease);
  } finally {
    // Refused before the batch that drops it (a method this reset does not offer, a malformed answer set): dropped on its own.
    if (!lease.released && lease.release.length > 0) await v.ctx.db.batch([lease.release[0] as never]);
  }
}

interface Lease {
  /** The statement that drops this request's lease, if it holds one; the batch that records the outcome carries it. */
  release: unknown[];
  released: boolean;
}

async function verifyHolding(v: Verify, lease: Lease): Promise<Reset> {
  const { ctx, loaded } = v;
  assertVerifying(loaded);
  const method = pickMethod(loaded, v.methodId);
  const verifiedIds = [...loaded.reset.verifiedMethodIds, method.id];
  const done = verifiedIds.length >= loaded.reset.methodsRequired;
  const verified = () => toReset({ ...loaded.reset, verifiedMethodIds: verifiedIds, status: done ? "verified" : "verifying" }, loaded.methods);
  if (strategyOf(method).kind === "code") {
    if (!v.code || !v.codeResults) throw new ApiError(400, "invalid_request", "Enter the code.", [{ path: "code", message: "Required." }]);
    codeAttemptOutcome(loaded, v.codeResults, ctx.now);
    return verified();
  }
  // The lease is taken exactly where mayProve holds, which the checks above mirror: a check in JS
  // without it would break the one-at-a-time guarantee, so it is refused rather than run. A code of
  // another length than an app's (the route took no lease for it) is wrong without any check, and is
  // counted like any wrong code.
  const wrongLength = method.type === "totp" && v.code !== undefined && v.code.length !== TOTP_DIGITS;
  if (lease.release.length === 0 && !wrongLength) throw checkBusy();
  await proveAndRecord(v, method, verifiedIds, done, lease);
  return verified();
}

/** Checks the proof and writes its outcome, the lease's release with it; returns when verified, else throws the refusal. */
async function proveAndRecord(v: Verify, method: MethodRow, verifiedIds: string[], done: boolean, lease: Lease): Promise<void> {
  const { ctx, loaded } = v;
  const proof = await prove(v, method);
  const { db, now } = ctx;

  if (!proof.ok) {
    const failure = failureStatements({ db, now, ip: ctx.ip, userId: loaded.user.id, methodId: method.id, methodType: method.type, resetId: loaded.reset.id, lockout: lockoutOf(loaded.policy), reason: proof.reason });
    const results = await runBatch(db, [...failure, ...(proof.statements as never[]), ...(lease.release as never[])]);
    lease.released = true;
    const left = triesLeft(loaded.policy, failureCounts(results[0]));
    if (left === 0) throw resetBlocked(now + loaded.policy.lockout.resetBlockHours * 3_600_000, now);
    const message = proof.reason === "invalid_answers" ? "Some answers are not right. Ask for the questions again: you will get a new set." : "That code is not right. Check it and try again.";
    throw new ApiError(400, "invalid_code", message, [{ attemptsLeft: left }]);
  }

  // Everything the first batch let through, asked again where the proof is written (the check in JS
  // came between): a block set by a concurrent failed check, a disable, a policy or method change
  // meanwhile stops this proof too, as they stop an email code's (rules-sql.ts mayProve).
  const stillMayProve = mayProve({ tokenHash: loaded.reset.tokenHash, resetId: loaded.reset.id, methodId: method.id, now });
  const typeTaken = sql`exists (select 1 from json_each(${resets.verifiedMethodIds}) v join ${recoveryMethods} vm on vm.id = v.value where vm.type = ${method.type})`;
  const results = await runBatch(db, [
    db
      .update(resets)
      .set({ verifiedMethodIds: verifiedIds, status: done ? "verified" : "verifying" })
      .where(and(eq(resets.id, loaded.reset.id), sql`${resets.verifiedMethodIds} = ${JSON.stringify(loaded.reset.verifiedMethodIds)}`, proof.proven, stillMayProve))
      .returning({ id: resets.id }),
    auditInsertIf(db, { type: "reset.verified", at: now, subjectId: loaded.user.id, ip: ctx.ip, outcome: "success", detail: { resetId: loaded.reset.id, methodType: method.type } }, sql`exists (select 1 from ${resets} where ${resets.id} = ${loaded.reset.id} and ${resets.verifiedMethodIds} = ${JSON.stringify(verifiedIds)})`),
    ...(proof.after as never[]),
    ...(lease.release as never[]),
    db
      .select({ until: users.resetBlockedUntil, disabled: users.disabled, status: resets.status, mayProve: sql<number>`${stillMayProve}`, typeTaken: sql<number>`${typeTaken}` })
      .from(users)
      .leftJoin(resets, eq(resets.id, loaded.reset.id))
      .where(eq(users.id, loaded.user.id)),
  ]);
  lease.released = true;
  const updated = results[0] as { id: string }[];
  if (updated.length === 0) {
    const why = (results[results.length - 1] as { until: number | null; disabled: boolean; status: string | null; mayProve: number; typeTaken: number }[])[0];
    // Revoked meanwhile (user disabled or gone, reset deleted by an admin action): as authenticateReset answers.
    if (!why || why.disabled || why.status === null) throw unauthorized();
    if (why.until !== null && why.until > now) throw resetBlocked(why.until, now);
    // Another proof landed first: as assertVerifying and pickMethod would answer now.
    if (why.status !== "verifying") throw enoughVerified();
    if (why.typeTaken) throw sameTypeTwice();
    // The policy or the user's methods changed under it: the next request finds the reset revoked.
    if (!why.mayProve) throw unauthorized();
    throw new ApiError(400, "invalid_code", "That code was already used. Wait for the next one in your app.", [{ attemptsLeft: triesLeft(loaded.policy, { user: 0, method: 0 }) }]);
  }
}
