import { eq, sql } from "drizzle-orm";
import type { Method } from "../../../shared/api/users.js";
import type { Policy } from "../../../shared/policy/schema.js";
import type { FlowContext } from "../context.js";
import { kdfParams } from "../crypto/password-hash.js";
import { newId } from "../crypto/random.js";
import { runBatch } from "../db/batch.js";
import { rawStatement } from "../db/raw.js";
import { auditEvents, recoveryMethods, users } from "../db/schema.js";
import type { MethodRow, UserRow } from "../directory/views.js";
import { toMethod } from "../directory/views.js";
import { ApiError, invalidRequest } from "../errors.js";
import { hashAnswer, isAnswerLengthOk, normaliseAnswer } from "../methods/answers.js";
import type { StoredAnswer } from "../methods/answers.js";
import { availableQuestions } from "../methods/question-catalog.js";
import { endUnfinishedResets } from "../resets/end-unfinished.js";
import { methodChangeNotice } from "./method-notices.js";
import { completeWith, methodRulesFor } from "./status.js";

export function registeredQuestionIds(method: MethodRow | undefined): string[] {
  if (!method?.secret) return [];
  return (JSON.parse(method.secret) as StoredAnswer[]).map((a) => a.questionId);
}

export interface PutAnswers {
  ctx: FlowContext;
  user: UserRow;
  policy: Policy;
  /** The user's methods (the existing questions among them), for the change notice. */
  methods: MethodRow[];
  answers: { questionId: string; answer: string }[];
}

/**
 * PUT /v1/me/security-questions: exactly `numberToRegister` distinct questions with distinct answers of
 * 3–40 characters (spec §3). Answers are hashed with the password KDF and never readable again.
 */
export async function putAnswers(p: PutAnswers): Promise<Method> {
  const { ctx, user, policy, answers } = p;
  if (!methodRulesFor(user, policy).available.includes("security_questions")) {
    throw new ApiError(422, "method_not_allowed_by_policy", "Your organisation does not use security questions for your account.");
  }
  const wanted = policy.securityQuestions.numberToRegister;
  const known = new Set(availableQuestions(policy).map((q) => q.id));
  const problems: { path: string; message: string }[] = [];
  if (answers.length !== wanted) problems.push({ path: "answers", message: `Answer exactly ${wanted} questions.` });
  if (new Set(answers.map((a) => a.questionId)).size !== answers.length) problems.push({ path: "answers", message: "Choose each question once." });
  if (new Set(answers.map((a) => normaliseAnswer(a.answer))).size !== answers.length) problems.push({ path: "answers", message: "Give a different answer to each question." });
  answers.forEach((a, i) => {
    if (!known.has(a.questionId)) problems.push({ path: `answers.${i}.questionId`, message: "Not one of the available questions." });
    if (!isAnswerLengthOk(a.answer)) problems.push({ path: `answers.${i}.answer`, message: "Answers must be 3 to 40 characters." });
  });
  if (problems.length) throw invalidRequest(problems);

  const params = kdfParams(ctx.env.KDF_PROFILE);
  const stored: StoredAnswer[] = ctx.timing.kdf(() => answers.map((a) => ({ questionId: a.questionId, hash: hashAnswer(a.answer, params) })));
  const existing = p.methods.find((m) => m.type === "security_questions");
  const row: MethodRow = existing
    ? { ...existing, secret: JSON.stringify(stored), status: "active", verifiedAt: ctx.now, hint: `${wanted} questions` }
    : { id: newId("mth"), userId: user.id, type: "security_questions", status: "active", target: null, hint: `${wanted} questions`, label: null, secret: JSON.stringify(stored), lastUsedStep: null, questionDraw: null, createdAt: ctx.now, verifiedAt: ctx.now, origin: "user" };
  const notice = methodChangeNotice(ctx, { user, methods: p.methods, policy, method: row, change: existing ? "answers_replaced" : "added" });
  const results = await runBatch(ctx.db, [
    // Keyed on the user (a unique index holds one set each): of saves that race, each replaces the
    // set before it, where two inserts of new ids would have left two sets, the older still usable.
    ctx.db
      .insert(recoveryMethods)
      .values(row)
      .onConflictDoUpdate({
        target: recoveryMethods.userId,
        targetWhere: sql`type = 'security_questions'`,
        set: { secret: row.secret, status: "active", verifiedAt: ctx.now, hint: row.hint, questionDraw: null },
      })
      .returning({ id: recoveryMethods.id }),
    ctx.db
      .update(users)
      .set({ registrationConfirmedAt: ctx.now, ...(completeWith(user, p.methods, row, policy) ? { registrationSkips: 0 } : {}) })
      .where(eq(users.id, user.id)),
    // The id of the set as stored: a save that raced another's replaced that one's row.
    rawStatement(
      ctx.db,
      sql`insert into ${auditEvents} (at, type, actor_id, subject_id, ip, outcome, detail) values (${ctx.now}, 'method.added', ${user.id}, ${user.id}, ${ctx.ip}, 'success',
        json_object('methodId', (select ${recoveryMethods.id} from ${recoveryMethods} where ${recoveryMethods.userId} = ${user.id} and ${recoveryMethods.type} = 'security_questions'),
          'methodType', 'security_questions', 'replaced', json(${existing ? "true" : "false"})))`,
    ),
    // New answers, like a removed method: a reset that proved the old ones (by whoever knew them) ends.
    ...(existing ? endUnfinishedResets(ctx.db, user.id) : []),
    ...notice.statements,
  ]);
  notice.send(results);
  const [saved] = results[0] as { id: string }[];
  return toMethod({ ...row, id: saved!.id });
}
