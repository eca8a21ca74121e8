import { and, eq, isNotNull, sql } from "drizzle-orm";
import type { PolicySettings } from "../../../shared/policy/schema.js";
import type { Db } from "../context.js";
import { recoveryMethods } from "../db/schema.js";
import { offeredQuestionIds } from "../methods/question-catalog.js";

/**
 * Sets every security-questions method's status for a new policy: `active` while the policy still
 * offers at least `numberToReset` of the questions its user answered, `pending` otherwise. An admin who
 * removes custom questions or raises the number would otherwise leave users with questions a reset
 * cannot ask: the method would show in resets and count toward registration while it could prove
 * nothing. As `pending` it drops out of both (every rule reads only active methods), the user is asked
 * to answer again like any other missing method, and the answers are kept, so the method comes back
 * by itself if the admin restores the questions. Runs in the policy's own batch: both or neither.
 */
export function questionStatusUpdate(db: Db, settings: Pick<PolicySettings, "securityQuestions">) {
  const offered = JSON.stringify(offeredQuestionIds(settings));
  // A secret that is not the JSON putAnswers writes counts as no answers: one bad row must not fail the policy's write.
  const answeredAndOffered = sql`(case when json_valid(${recoveryMethods.secret}) and json_type(${recoveryMethods.secret}) = 'array'
    then (select count(*) from json_each(${recoveryMethods.secret}) a where (case when a.type = 'object' then json_extract(a.value, '$.questionId') end) in (select value from json_each(${offered}))) else 0 end)`;
  const status = sql<"active" | "pending">`(case when ${answeredAndOffered} >= ${settings.securityQuestions.numberToReset} then 'active' else 'pending' end)`;
  return db
    .update(recoveryMethods)
    .set({ status })
    .where(and(eq(recoveryMethods.type, "security_questions"), isNotNull(recoveryMethods.secret), sql`${recoveryMethods.status} <> ${status}`));
}
