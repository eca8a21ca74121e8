import { userLocale } from "../i18n/user-locale.js";
import type { Policy } from "../../../shared/policy/schema.js";
import type { CodeRow } from "../challenges/codes.js";
import { planCodeSend } from "../challenges/send-code.js";
import type { FlowContext } from "../context.js";
import { changes, runBatch } from "../db/batch.js";
import { sendLater } from "../delivery/deliver.js";
import type { MethodRow, UserRow } from "../directory/views.js";
import { ApiError } from "../errors.js";
import { strategyOf } from "../methods/strategy.js";
import { secretKey } from "../secrets.js";

export interface ResendCode {
  ctx: FlowContext;
  user: UserRow;
  method: MethodRow;
  policy: Policy;
  existing: CodeRow | undefined;
  counters: { key: string; count: number; windowEnd: number }[];
}

/** POST /v1/me/methods/{id}/resend: a new code for a pending email or phone; the previous one stops working. */
export async function resendCode(r: ResendCode): Promise<{ expiresAt: string }> {
  if (strategyOf(r.method).kind !== "code") throw new ApiError(409, "conflict", "This kind of method has no code to resend.");
  if (r.method.status === "active") throw new ApiError(409, "conflict", "This method is already verified.");
  const send = await planCodeSend({
    env: r.ctx.env,
    db: r.ctx.db,
    now: r.ctx.now,
    secret: secretKey(r.ctx.env),
    method: r.method,
    userId: r.user.id,
    flow: "registration",
    purpose: "registration",
    orgName: r.policy.orgName,
    locale: userLocale(r.user, r.policy),
    smsCountries: r.policy.methods.smsCountries,
    ttlMinutes: r.policy.challenges.codeTtlMinutes,
    existing: r.existing,
    counters: r.counters,
  });
  const results = await runBatch(r.ctx.db, [...send.statements, send.countersAfter]);
  if (changes(results[0]) === 0) throw send.refusal(results.at(-1));
  sendLater({ ...r.ctx, userId: r.user.id }, [send.message], { methodId: r.method.id });
  return { expiresAt: send.expiresAt };
}
