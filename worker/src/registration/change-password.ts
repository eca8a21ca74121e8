import { and, eq, ne } from "drizzle-orm";
import { canonicalPassword } from "../../../shared/password/index.js";
import type { Policy } from "../../../shared/policy/schema.js";
import { auditInsert } from "../audit.js";
import type { FlowContext } from "../context.js";
import { hashPassword, kdfParams, verifyPassword } from "../crypto/password-hash.js";
import { runBatch } from "../db/batch.js";
import { sessions } from "../db/schema.js";
import { directory } from "../directory/directory.js";
import type { UserRow } from "../directory/views.js";
import { ApiError } from "../errors.js";
import { assertNotLocked, recordWrongPassword, wrongPasswordFingerprint } from "../flows/sign-in-lockout.js";
import { checkNewPassword } from "../passwords/new-password.js";
import { secretKey } from "../secrets.js";

export interface ChangePassword {
  ctx: FlowContext;
  user: UserRow;
  tokenHash: string;
  policy: Policy;
  currentPassword: string;
  newPassword: string;
  /** The user's sign-in lockout row (`lockoutOfUser`), read in the authentication batch. */
  lockout: { lockedUntil: number } | undefined;
}

const SAME_AS_CURRENT = { rule: "history", message: "Choose a new password that is different from your current one." } as const;

/**
 * POST /v1/me/password. A wrong current password counts toward the sign-in lockout, and while the
 * account is locked the current password is not checked at all (the same 429 as sign-in), so a stolen
 * session cannot be used to guess the password. The new password must differ from the current one
 * whatever `historyCount` is (a forced change has to change it). Success revokes every other session.
 */
export async function changePassword(p: ChangePassword): Promise<void> {
  const { ctx, user, policy } = p;
  assertNotLocked(p.lockout, ctx.now);
  const ok = !!user.passwordHash && ctx.timing.kdf(() => verifyPassword(p.currentPassword, user.passwordHash!));
  if (!ok) {
    const fingerprint = await wrongPasswordFingerprint(secretKey(ctx.env), user.username, p.currentPassword);
    await runBatch(ctx.db, [
      recordWrongPassword(ctx.db, user.username, fingerprint, ctx.now, policy),
      auditInsert(ctx.db, { type: "password.changed", at: ctx.now, actorId: user.id, subjectId: user.id, ip: ctx.ip, outcome: "failure", detail: { reason: "invalid_current_password" } }),
    ]);
    throw new ApiError(400, "invalid_current_password", "Your current password is not right.");
  }
  // Compared in the form the hash is taken of (NFKC), so a password that would hash the same is "the same".
  // Only after the current password is verified: otherwise this answer would confirm a guess.
  const sameAsCurrent = canonicalPassword(p.newPassword) === canonicalPassword(p.currentPassword);
  try {
    // When it is the same, the history check against the hashes could only repeat this hit, at a KDF run each.
    const previousHashes = sameAsCurrent ? undefined : [user.passwordHash, ...user.passwordHistory];
    checkNewPassword(p.newPassword, policy, { username: user.username, displayName: user.displayName, previousHashes }, ctx.timing);
  } catch (e) {
    if (sameAsCurrent && e instanceof ApiError && e.code === "password_policy") {
      throw new ApiError(e.status, e.code, e.message, [...(e.details ?? []), SAME_AS_CURRENT]);
    }
    throw e;
  }
  if (sameAsCurrent) {
    throw new ApiError(422, "password_policy", "The new password does not meet the password rules.", [SAME_AS_CURRENT]);
  }
  const hash = ctx.timing.kdf(() => hashPassword(p.newPassword, kdfParams(ctx.env.KDF_PROFILE)));
  await runBatch(ctx.db, [
    directory.setPassword(ctx.db, user, hash, ctx.now, { mustChange: false }),
    ctx.db.delete(sessions).where(and(eq(sessions.userId, user.id), ne(sessions.tokenHash, p.tokenHash))),
    auditInsert(ctx.db, { type: "password.changed", at: ctx.now, actorId: user.id, subjectId: user.id, ip: ctx.ip, outcome: "success" }),
  ]);
}
