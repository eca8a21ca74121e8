import { userLocale } from "../i18n/user-locale.js";
import { and, eq, isNull, or, sql } from "drizzle-orm";
import type { ChallengeResponse } from "../../../shared/api/resets.js";
import { auditInsert } from "../audit.js";
import { RESEND_COOLDOWN_MS } from "../challenges/codes.js";
import type { CodeRow } from "../challenges/codes.js";
import { justSent, refuseSend } from "../challenges/send-code.js";
import { iso } from "../clock.js";
import type { FlowContext } from "../context.js";
import { randomInt } from "../crypto/random.js";
import { runBatch } from "../db/batch.js";
import { recoveryMethods } from "../db/schema.js";
import { sendLater } from "../delivery/deliver.js";
import type { MethodRow } from "../directory/views.js";
import { ApiError, notFound, unauthorized } from "../errors.js";
import { availableQuestions } from "../methods/question-catalog.js";
import { registeredQuestionIds } from "../registration/security-questions.js";
import { strategyOf } from "../methods/strategy.js";
import type { LoadedReset } from "./authenticate-reset.js";

export const sameTypeTwice = () => new ApiError(409, "conflict", "Choose a different kind of method for the second check.");
export const enoughVerified = () => new ApiError(409, "conflict", "Enough methods are verified. Set your new password.");

/** The method a verify or challenge names: one this reset offers, not yet used, of a type not yet used. */
export function pickMethod(loaded: LoadedReset, methodId: string): MethodRow {
  const method = loaded.methods.find((m) => m.id === methodId);
  if (!method) throw notFound("This reset has no such method.");
  const verified = loaded.methods.filter((m) => loaded.reset.verifiedMethodIds.includes(m.id));
  if (verified.some((m) => m.type === method.type)) throw sameTypeTwice();
  return method;
}

/** Challenges and verification only while methods are still being proved (authenticateReset has refused blocked users). */
export function assertVerifying(loaded: LoadedReset): void {
  if (loaded.reset.status !== "verifying") throw enoughVerified();
}

const tooFewQuestions = () =>
  new ApiError(409, "conflict", "Fewer of your security questions are offered now than a reset asks for. Choose another method, or ask your helpdesk.");

/** Draws `count` of the user's questions uniformly at random (Fisher–Yates with the CSPRNG). */
export function drawQuestions(ids: string[], count: number): string[] {
  const pool = [...ids];
  for (let i = pool.length - 1; i > 0; i--) {
    const j = randomInt(i + 1);
    [pool[i], pool[j]] = [pool[j]!, pool[i]!];
  }
  return pool.slice(0, count);
}

/** Whether a stored draw can still be asked: the policy's number of the user's questions still offered. */
const drawStillAskable = (draw: string[], registered: string[], numberToReset: number) =>
  draw.length === numberToReset && new Set(draw).size === draw.length && draw.every((id) => registered.includes(id));

/**
 * The questions to ask. Entra: only a wrong answer restarts the random choice, so while the user's
 * questions method has a draw every challenge asks the same questions, in the same order (asking
 * again never shows other questions). The draw is the method's, not the reset's: a new reset asks the
 * same ones, so starting resets cannot fish for a set the asker knows either. verify.ts clears it on a
 * wrong answer (a counted failed identity check) and on success. A new draw is written only over no
 * draw (or over one the policy or the user's registration has since made unaskable), and the stored
 * draw is read back in the same batch (one round trip): of concurrent challenges every one gets the
 * draw that was stored, never a set of its own.
 */
async function drawOnce(ctx: FlowContext, method: MethodRow, registered: string[], numberToReset: number, audit: Parameters<typeof auditInsert>[1]): Promise<string[]> {
  const { db } = ctx;
  const current = method.questionDraw;
  const unaskable = current && !drawStillAskable(current, registered, numberToReset) ? current : null;
  const replaceable = or(isNull(recoveryMethods.questionDraw), unaskable ? sql`${recoveryMethods.questionDraw} = ${JSON.stringify(unaskable)}` : sql`0`);
  const results = await runBatch(db, [
    db.update(recoveryMethods).set({ questionDraw: drawQuestions(registered, numberToReset) }).where(and(eq(recoveryMethods.id, method.id), replaceable)),
    auditInsert(db, audit),
    db.select({ draw: recoveryMethods.questionDraw }).from(recoveryMethods).where(eq(recoveryMethods.id, method.id)),
  ]);
  const row = (results[results.length - 1] as { draw: string[] | null }[])[0];
  if (!row) throw unauthorized(); // removed meanwhile (the user, or an admin clearing methods): the reset has ended
  const stored = row.draw;
  // Only if the registration changed again between our read and our write.
  if (!stored || !drawStillAskable(stored, registered, numberToReset)) throw new ApiError(409, "conflict", "Ask for the questions again.");
  return stored;
}

export interface Challenge {
  ctx: FlowContext;
  loaded: LoadedReset;
  methodId: string;
  /** What authenticateReset's batch read before its statements, and whether codeChallenge's stored the code. */
  existingCode: CodeRow | undefined;
  counters: { key: string; count: number; windowEnd: number }[];
  /** The requester's client key: reset codes are limited per client. */
  client: string;
  code: string;
  stored: boolean;
}

/**
 * POST /v1/resets/{id}/challenges: send a code or ask for the app's code (both decided and written in
 * authenticateReset's batch, challenge-code.ts), or draw the questions (a second round trip: the draw
 * needs the user's registered questions and the policy's catalogue, which only that batch read).
 */
export async function challenge(ch: Challenge): Promise<ChallengeResponse> {
  const { ctx, loaded } = ch;
  assertVerifying(loaded);
  const method = pickMethod(loaded, ch.methodId);
  const kind = strategyOf(method).kind;
  const base = { methodId: method.id, type: method.type, expiresAt: iso(loaded.reset.expiresAt) };

  if (kind === "totp") return { challenge: base };
  if (kind === "questions") {
    const audit = { type: "reset.challenge_sent", at: ctx.now, subjectId: loaded.user.id, ip: ctx.ip, outcome: "success", detail: { resetId: loaded.reset.id, methodType: method.type } } as const;
    const catalog = new Map(availableQuestions(loaded.policy, ctx.locale ?? "en").map((q) => [q.id, q.text]));
    const registered = registeredQuestionIds(method).filter((id) => catalog.has(id));
    // The policy asks for numberToReset answers (spec: "answers to numberToReset of them"): asking the
    // fewer that are left would be a weaker check. A policy change sets such methods pending
    // (question-status.ts), but answers saved against the policy it replaced can land just after it.
    if (registered.length < loaded.policy.securityQuestions.numberToReset) throw tooFewQuestions();
    const draw = await drawOnce(ctx, method, registered, loaded.policy.securityQuestions.numberToReset, audit);
    return { challenge: { ...base, questions: draw.map((id) => ({ id, text: catalog.get(id)! })) } };
  }

  // The batch read the state its INSERT decided on (one transaction): a send it refused is refused here.
  refuseSend(
    { method, userId: loaded.user.id, smsCountries: loaded.policy.methods.smsCountries, existing: ch.existingCode, counters: ch.counters, now: ctx.now },
    { purpose: "reset", client: ch.client },
  );
  if (!ch.stored) throw justSent(RESEND_COOLDOWN_MS / 1000);
  const ttlMinutes = loaded.policy.challenges.codeTtlMinutes;
  const message = strategyOf(method).codeMessage!({ to: method.target!, orgName: loaded.policy.orgName, code: ch.code, minutes: ttlMinutes, purpose: "reset", locale: userLocale(loaded.user, loaded.policy) });
  sendLater({ ...ctx, userId: loaded.user.id }, [message], { resetId: loaded.reset.id, methodId: method.id });
  // A code outlives neither its own TTL nor the reset.
  return { challenge: { ...base, expiresAt: iso(Math.min(ctx.now + ttlMinutes * 60_000, loaded.reset.expiresAt)) } };
}
