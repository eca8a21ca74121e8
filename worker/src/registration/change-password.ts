import { and, eq, gt, ne, sql } from "drizzle-orm";
import { changedBeforeExpiry } from "../passwords/expiry-audit.js";
import { canonicalPassword } from "../../../shared/password/index.js";
import type { Policy } from "../../../shared/policy/schema.js";
import { auditInsert, auditInsertIf } from "../audit.js";
import type { FlowContext } from "../context.js";
import { hashPassword, kdfParams, verifyPassword } from "../crypto/password-hash.js";
import { runBatch } from "../db/batch.js";
import { sessions, users } from "../db/schema.js";
import { directory } from "../directory/directory.js";
import type { UserRow } from "../directory/views.js";
import { ApiError, directoryUnavailable, unauthorized } from "../errors.js";
import type { Attempt } from "../flows/sign-in-lockout.js";
import { afterRightPassword, afterWrongPassword, wrongPasswordFingerprint } from "../flows/sign-in-lockout.js";
import { checkNewPassword } from "../passwords/new-password.js";
import { endUnfinishedResets } from "../resets/end-unfinished.js";
import { secretKey } from "../secrets.js";

export interface ChangePassword {
  ctx: FlowContext;
  user: UserRow;
  tokenHash: string;
  policy: Policy;
  currentPassword: string;
  newPassword: string;
  /**
   * This attempt, already counted toward the sign-in lockout in the authentication batch
   * (`countAttempt` for the session, then `admitAttempt`, which answers 429 while the name is locked).
   */
  attempt: Attempt;
}

const SAME_AS_CURRENT = { rule: "history", message: "Choose a new password that is different from your current one." } as const;

/**
 * POST /v1/me/password. The attempt is counted toward the sign-in lockout before the current password
 * is checked (in the authentication batch), and while the account is locked the current password is
 * not checked at all (the same 429 as sign-in), so a stolen session cannot be used to guess the
 * password, not even with many requests at once. A wrong current password stays counted; a right one
 * is given back (also when the new password is then refused). The new password must differ from the
 * current one whatever `historyCount` is (a forced change has to change it). Success revokes every
 * other session and ends every unfinished reset (one started before the change must not undo it).
 * Two round trips whatever happens.
 */
export async function changePassword(p: ChangePassword): Promise<void> {
  if (directory.isExternal(p.user)) return changeExternalPassword(p);
  const { ctx, user, attempt } = p;
  const ok = !!user.passwordHash && ctx.timing.kdf(() => verifyPassword(p.currentPassword, user.passwordHash!));
  if (!ok) throw await wrongCurrentPassword(p);
  const giveBack = afterRightPassword(ctx.db, attempt, ctx.now, "give-back");
  const refused = newPasswordProblem(p);
  if (refused) {
    await runBatch(ctx.db, [...giveBack]);
    throw refused;
  }
  const hash = ctx.timing.kdf(() => hashPassword(p.newPassword, kdfParams(ctx.env.KDF_PROFILE)));
  // Written only over the password this request checked, and while its session stands: an admin's set,
  // a reset or a second change that landed meanwhile (each revoking sessions or replacing the hash)
  // must not be undone by a change proved with the old password. `won` holds after the write too (the
  // new hash has its own salt), so every other statement follows it.
  const sessionStands = sql`exists (select 1 from ${sessions} where ${sessions.tokenHash} = ${p.tokenHash} and ${sessions.expiresAt} > ${ctx.now})`;
  const won = sql`${sessionStands} and exists (select 1 from ${users} where ${users.id} = ${user.id} and ${users.disabled} = 0 and ${users.passwordHash} = ${hash})`;
  const results = await runBatch(ctx.db, [
    directory
      .setPassword(ctx.db, user, hash, ctx.now, { mustChange: false, onlyIf: sql`${sessionStands} and ${users.disabled} = 0 and ${users.passwordHash} is ${user.passwordHash}` })
      .returning({ id: users.id }),
    ctx.db.delete(sessions).where(and(eq(sessions.userId, user.id), ne(sessions.tokenHash, p.tokenHash), won)),
    ...endUnfinishedResets(ctx.db, user.id, won),
    ...giveBack,
    auditInsertIf(ctx.db, { type: "password.changed", at: ctx.now, actorId: user.id, subjectId: user.id, ip: ctx.ip, outcome: "success", detail: changedBeforeExpiry(user, p.policy, ctx.now) }, won),
    ctx.db.select({ one: sql`1` }).from(sessions).where(and(eq(sessions.tokenHash, p.tokenHash), gt(sessions.expiresAt, ctx.now))).limit(1),
  ]);
  if ((results[0] as unknown[]).length === 1) return;
  if ((results.at(-1) as unknown[]).length === 0) throw unauthorized();
  throw new ApiError(409, "conflict", "Your password was changed by another request a moment ago. Nothing more was changed.");
}

/** A wrong current password stays counted toward the lockout (its fingerprint recorded) and is audited. */
async function wrongCurrentPassword(p: ChangePassword): Promise<ApiError> {
  const { ctx, user } = p;
  const fingerprint = await wrongPasswordFingerprint(secretKey(ctx.env), user.username, p.currentPassword);
  await runBatch(ctx.db, [
    ...afterWrongPassword(ctx.db, p.attempt, fingerprint, ctx.now, ctx.ip),
    auditInsert(ctx.db, { type: "password.changed", at: ctx.now, actorId: user.id, subjectId: user.id, ip: ctx.ip, outcome: "failure", detail: { reason: "invalid_current_password" } }),
  ]);
  return new ApiError(400, "invalid_current_password", "Your current password is not right.");
}

/**
 * The same change for a directory user: the directory checks the current password and its own rules
 * (history among them) in one job, so the worker's rules, none of which depends on the current
 * password, are checked first, and "the same as your current one" only once a bind has proved the
 * current password (before that, the answer would confirm a guess). The attempt is given back for
 * every answer but a wrong current password; nothing changes unless the directory set the password.
 */
async function changeExternalPassword(p: ChangePassword): Promise<void> {
  const { ctx, user } = p;
  const giveBack = afterRightPassword(ctx.db, p.attempt, ctx.now, "give-back");
  const givingBack = async <T>(step: () => Promise<T> | T): Promise<T> => {
    try {
      return await step();
    } catch (e) {
      await runBatch(ctx.db, [...giveBack]);
      throw e;
    }
  };
  await givingBack(() => checkNewPassword(p.newPassword, p.policy, { username: user.username, displayName: user.displayName }, ctx.timing));
  if (canonicalPassword(p.newPassword) === canonicalPassword(p.currentPassword)) {
    const answer = await directory.bind(ctx.env, user, p.currentPassword);
    if (answer.kind === "wrong") throw await wrongCurrentPassword(p);
    await runBatch(ctx.db, [...giveBack]);
    if (answer.kind === "unavailable") throw directoryUnavailable();
    throw new ApiError(422, "password_policy", "The new password does not meet the password rules.", [SAME_AS_CURRENT]);
  }
  const answer = await givingBack(() => directory.setExternalPassword(ctx.env, user, { mode: "change", password: p.newPassword, currentPassword: p.currentPassword }));
  if (answer.kind === "wrong_current") throw await wrongCurrentPassword(p);
  await runBatch(ctx.db, [
    directory.recordExternalPassword(ctx.db, user.id, ctx.now, { mustChange: false }),
    ctx.db.delete(sessions).where(and(eq(sessions.userId, user.id), ne(sessions.tokenHash, p.tokenHash))),
    ...endUnfinishedResets(ctx.db, user.id),
    ...giveBack,
    auditInsert(ctx.db, { type: "password.changed", at: ctx.now, actorId: user.id, subjectId: user.id, ip: ctx.ip, outcome: "success", detail: { directory: true, ...changedBeforeExpiry(user, p.policy, ctx.now) } }),
  ]);
}

/** Why the new password is refused (422 `password_policy`), once the current password is verified. */
function newPasswordProblem(p: ChangePassword): ApiError | null {
  const { ctx, user, policy } = p;
  // Compared in the form the hash is taken of (NFKC), so a password that would hash the same is "the same".
  // Only after the current password is verified: otherwise this answer would confirm a guess.
  const sameAsCurrent = canonicalPassword(p.newPassword) === canonicalPassword(p.currentPassword);
  try {
    // When it is the same, the history check against the hashes could only repeat this hit, at a KDF run each.
    const previousHashes = sameAsCurrent ? undefined : [user.passwordHash, ...user.passwordHistory];
    checkNewPassword(p.newPassword, policy, { username: user.username, displayName: user.displayName, previousHashes }, ctx.timing);
  } catch (e) {
    if (sameAsCurrent && e instanceof ApiError && e.code === "password_policy") {
      return new ApiError(e.status, e.code, e.message, [...(e.details ?? []), SAME_AS_CURRENT]);
    }
    if (e instanceof ApiError) return e;
    throw e;
  }
  if (sameAsCurrent) {
    return new ApiError(422, "password_policy", "The new password does not meet the password rules.", [SAME_AS_CURRENT]);
  }
  return null;
}
