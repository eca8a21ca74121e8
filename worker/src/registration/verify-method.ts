import { and, eq, isNull, lt, or, sql } from "drizzle-orm";
import type { Method } from "../../../shared/api/users.js";
import type { Policy } from "../../../shared/policy/schema.js";
import { auditInsert, auditInsertIf } from "../audit.js";
import { checkCode, codeConsumed, codeExpired, consumeCode, invalidCode, spendAttempt } from "../challenges/codes.js";
import type { CodeRow } from "../challenges/codes.js";
import type { FlowContext } from "../context.js";
import { runBatch } from "../db/batch.js";
import { recoveryMethods, users } from "../db/schema.js";
import type { MethodRow, UserRow } from "../directory/views.js";
import { toMethod } from "../directory/views.js";
import { ApiError, rateLimited } from "../errors.js";
import { countNow, incrementCounter, retryAfter } from "../limits/counters.js";
import { strategyOf } from "../methods/strategy.js";
import { matchTotp, unsealTotpSecret } from "../methods/totp.js";
import { secretKey } from "../secrets.js";
import { methodChangeNotice } from "./method-notices.js";
import { completeWith } from "./status.js";

export interface VerifyMethod {
  ctx: FlowContext;
  user: UserRow;
  method: MethodRow;
  code: string;
  codeRow: CodeRow | undefined;
  totpFailures: { key: string; count: number; windowEnd: number }[];
  /** The user's methods and the policy, for the "method added" notice. */
  methods: MethodRow[];
  policy: Policy;
}

/** Wrong TOTP codes while registering an app: 5 per method per 10 minutes. */
export const totpFailureLimit = (methodId: string) => ({ key: `totp-fail:${methodId}`, max: 5, windowMs: 600_000 });

const activate = (v: VerifyMethod, onlyIf: ReturnType<typeof sql>) =>
  v.ctx.db.update(recoveryMethods).set({ status: "active", verifiedAt: v.ctx.now }).where(and(eq(recoveryMethods.id, v.method.id), onlyIf));

/** Verifying a method is the user confirming their recovery info (resets the re-confirmation clock, and the skips once complete). */
const confirmInfo = (v: VerifyMethod, onlyIf: ReturnType<typeof sql>) =>
  v.ctx.db
    .update(users)
    .set({ registrationConfirmedAt: v.ctx.now, ...(completeWith(v.user, v.methods, v.method, v.policy) ? { registrationSkips: 0 } : {}) })
    .where(and(eq(users.id, v.user.id), onlyIf));

/** Active now: the owner's addresses hear of it, if the activating statement won (`onlyIf`). */
const notice = (v: VerifyMethod, onlyIf: ReturnType<typeof sql>) =>
  methodChangeNotice(v.ctx, { user: v.user, methods: v.methods, policy: v.policy, method: v.method, change: "added", onlyIf });

const audit = (v: VerifyMethod, type: "method.verified" | "method.verify_failed", outcome: "success" | "failure") => ({
  type,
  at: v.ctx.now,
  actorId: v.user.id,
  subjectId: v.user.id,
  ip: v.ctx.ip,
  outcome,
  detail: { methodId: v.method.id, methodType: v.method.type },
});

/** POST /v1/me/methods/{id}/verify: the code that proves the user holds the method activates it. */
export async function verifyMethod(v: VerifyMethod): Promise<Method> {
  if (v.method.status === "active") throw new ApiError(409, "conflict", "This method is already verified.");
  // Pending questions (question-status.ts) are proved by answering them again, not by a code.
  if (strategyOf(v.method).kind === "questions") throw new ApiError(409, "conflict", "Answer your security questions again to use them.");
  const { db, now } = v.ctx;
  const secret = secretKey(v.ctx.env);
  const active = { ...v.method, status: "active" as const, verifiedAt: now };

  if (strategyOf(v.method).kind === "totp") {
    const limit = totpFailureLimit(v.method.id);
    const wait = retryAfter(v.totpFailures, [limit], now);
    if (wait !== null) throw rateLimited(wait, "Too many wrong codes. Wait a few minutes, then try the newest code from your app.");
    const key = await unsealTotpSecret(secret, v.method.id, v.method.secret!);
    const step = matchTotp(key, v.code, now, v.method.lastUsedStep);
    if (step === null) {
      const [counter] = (await runBatch(db, [incrementCounter(db, limit, now), auditInsert(db, audit(v, "method.verify_failed", "failure"))]))[0] as { count: number }[];
      throw invalidCode(Math.max(0, limit.max - (counter?.count ?? limit.max)));
    }
    const mayActivate = and(eq(recoveryMethods.id, v.method.id), eq(recoveryMethods.status, "pending"), or(isNull(recoveryMethods.lastUsedStep), lt(recoveryMethods.lastUsedStep, step)), sql`${countNow(limit.key, now)} < ${limit.max}`)!;
    // Asked before the activating statement, in the same transaction: true exactly when it will write.
    // (Afterwards "the step is recorded" would hold for a request that lost a race with the same code too.)
    const willWin = sql`exists (select 1 from ${recoveryMethods} where ${mayActivate})`;
    const added = notice(v, willWin);
    const results = await runBatch(db, [
      confirmInfo(v, willWin),
      auditInsertIf(db, audit(v, "method.verified", "success"), willWin),
      ...added.statements,
      db.update(recoveryMethods).set({ status: "active", verifiedAt: now, lastUsedStep: step }).where(mayActivate).returning({ id: recoveryMethods.id }),
    ]);
    if ((results.at(-1) as { id: string }[]).length === 0) throw invalidCode(0);
    added.send(results);
    return toMethod(active);
  }

  const check = await checkCode(secret, v.codeRow, v.code, now);
  if (!check.ok) {
    const [spent] = (await runBatch(db, [spendAttempt(db, check.row.id), auditInsert(db, audit(v, "method.verify_failed", "failure"))])) as [{ attemptsLeft: number }[]];
    if (spent.length === 0) throw codeExpired();
    throw invalidCode(spent[0]!.attemptsLeft);
  }
  const consumed = codeConsumed(check.row.id, now);
  const added = notice(v, consumed);
  const results = await runBatch(db, [
    consumeCode(db, check.row.id, now),
    activate(v, consumed),
    confirmInfo(v, consumed),
    auditInsertIf(db, audit(v, "method.verified", "success"), consumed),
    ...added.statements,
  ]);
  if ((results[0] as { id: string }[]).length === 0) throw codeExpired();
  added.send(results);
  return toMethod(active);
}
