import { and, eq, ne } from "drizzle-orm";
import type { Policy } from "../../../shared/policy/schema.js";
import { auditInsert } from "../audit.js";
import type { FlowContext } from "../context.js";
import { hashPassword, kdfParams, verifyPassword } from "../crypto/password-hash.js";
import { runBatch } from "../db/batch.js";
import { sessions } from "../db/schema.js";
import { directory } from "../directory/directory.js";
import type { UserRow } from "../directory/views.js";
import { ApiError } from "../errors.js";
import { recordWrongPassword, wrongPasswordFingerprint } from "../flows/sign-in-lockout.js";
import { checkNewPassword } from "../passwords/new-password.js";
import { secretKey } from "../secrets.js";

export interface ChangePassword {
  ctx: FlowContext;
  user: UserRow;
  tokenHash: string;
  policy: Policy;
  currentPassword: string;
  newPassword: string;
}

/**
 * POST /v1/me/password. A wrong current password counts toward the sign-in lockout, so a stolen session
 * cannot be used to guess the password. Success revokes every other session.
 */
export async function changePassword(p: ChangePassword): Promise<void> {
  const { ctx, user, policy } = p;
  const ok = !!user.passwordHash && ctx.timing.kdf(() => verifyPassword(p.currentPassword, user.passwordHash!));
  if (!ok) {
    const fingerprint = await wrongPasswordFingerprint(secretKey(ctx.env), user.username, p.currentPassword);
    await runBatch(ctx.db, [
      recordWrongPassword(ctx.db, user.username, fingerprint, ctx.now, policy),
      auditInsert(ctx.db, { type: "password.changed", at: ctx.now, actorId: user.id, subjectId: user.id, ip: ctx.ip, outcome: "failure", detail: { reason: "invalid_current_password" } }),
    ]);
    throw new ApiError(400, "invalid_current_password", "Your current password is not right.");
  }
  checkNewPassword(p.newPassword, policy, { username: user.username, displayName: user.displayName, previousHashes: [user.passwordHash, ...user.passwordHistory] }, ctx.timing);
  const hash = ctx.timing.kdf(() => hashPassword(p.newPassword, kdfParams(ctx.env.KDF_PROFILE)));
  await runBatch(ctx.db, [
    directory.setPassword(ctx.db, user, hash, ctx.now, { mustChange: false }),
    ctx.db.delete(sessions).where(and(eq(sessions.userId, user.id), ne(sessions.tokenHash, p.tokenHash))),
    auditInsert(ctx.db, { type: "password.changed", at: ctx.now, actorId: user.id, subjectId: user.id, ip: ctx.ip, outcome: "success" }),
  ]);
}
