import { and, eq, gt } from "drizzle-orm";
import type { ReauthResponse } from "../../../shared/api/sessions.js";
import { auditInsert } from "../audit.js";
import { iso } from "../clock.js";
import type { FlowContext } from "../context.js";
import { verifyPassword } from "../crypto/password-hash.js";
import { runBatch } from "../db/batch.js";
import { sessions, users } from "../db/schema.js";
import { directory } from "../directory/directory.js";
import { directoryUnavailable } from "../errors.js";
import type { UserRow } from "../directory/views.js";
import { secretKey } from "../secrets.js";
import { FRESH_MS } from "../sessions/session-token.js";
import { invalidCredentials } from "./sign-in.js";
import type { Attempt } from "./sign-in-lockout.js";
import { afterRightPassword, afterWrongPassword, wrongPasswordFingerprint } from "./sign-in-lockout.js";

export interface Reauth {
  ctx: FlowContext;
  user: UserRow;
  tokenHash: string;
  password: string;
  /** Already counted toward the sign-in lockout in the authentication batch (as for a password change). */
  attempt: Attempt;
}

/**
 * POST /v1/sessions/current/reauth. The password is a guess like any other, so it is counted exactly
 * as a password change counts its current password (see change-password.ts): before the check, 429
 * while locked, a wrong one stays counted, a right one is given back. A stolen token is then no way
 * around smart lockout. Two round trips whatever happens. A directory user's password is checked by
 * the agent's bind; an agent that cannot answer (503) gives the attempt back.
 */
export async function reauthenticate(r: Reauth): Promise<ReauthResponse> {
  const { ctx, user, attempt } = r;
  const audit = { type: "session.reauthenticated", at: ctx.now, actorId: user.id, subjectId: user.id, ip: ctx.ip } as const;
  const answer = directory.isExternal(user) ? await directory.bind(ctx.env, user, r.password) : null;
  if (answer?.kind === "unavailable") {
    await runBatch(ctx.db, [...afterRightPassword(ctx.db, attempt, ctx.now, "give-back")]);
    throw directoryUnavailable();
  }
  const ok = answer ? answer.kind === "right" : !!user.passwordHash && ctx.timing.kdf(() => verifyPassword(r.password, user.passwordHash!));
  if (!ok) {
    const fingerprint = await wrongPasswordFingerprint(secretKey(ctx.env), user.username, r.password);
    await runBatch(ctx.db, [...afterWrongPassword(ctx.db, attempt, fingerprint, ctx.now, ctx.ip), auditInsert(ctx.db, { ...audit, outcome: "failure" })]);
    throw invalidCredentials();
  }
  await runBatch(ctx.db, [
    ctx.db.update(sessions).set({ provedAt: ctx.now }).where(and(eq(sessions.tokenHash, r.tokenHash), gt(sessions.expiresAt, ctx.now))),
    // The directory wants a new password first (expired meanwhile): the session's next request is the change.
    ...(answer?.kind === "right" && answer.mustChange ? [ctx.db.update(users).set({ mustChangePassword: true }).where(eq(users.id, user.id))] : []),
    ...afterRightPassword(ctx.db, attempt, ctx.now, "give-back"),
    auditInsert(ctx.db, { ...audit, outcome: "success" }),
  ]);
  return { freshUntil: iso(ctx.now + FRESH_MS) };
}
