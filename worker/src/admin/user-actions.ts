import { and, eq, or, sql } from "drizzle-orm";
import type { Context } from "hono";
import { isoOrNull } from "../clock.js";
import type { AppEnv } from "../context.js";
import { auditInsertIf } from "../audit.js";
import { hashPassword, kdfParams } from "../crypto/password-hash.js";
import { rateCounters, recoveryMethods, signInLockouts, users } from "../db/schema.js";
import { directory } from "../directory/directory.js";
import { ApiError, notFound } from "../errors.js";
import { checkNewPassword } from "../passwords/new-password.js";
import { endUnfinishedResets } from "../resets/end-unfinished.js";
import { FAILURE_KEYS } from "../resets/failures.js";
import { currentPolicyQuery, policyFromRow } from "../policy/store.js";
import { authenticate } from "../sessions/authenticate.js";
import { ADMIN_ROLES, actorMayWrite, assertMayActOn, targetWhere } from "./access.js";
import { passwordSetByAdminNotice } from "./notify.js";
import { generateTemporaryPassword } from "./temporary-password.js";
import { methodsOfUsers, userWithLockout } from "./views.js";

/** Auth, the target (with its lockout) and the route's other reads in one batch; 404 and 403 settled here. */
async function loadTarget(c: Context<AppEnv>, userId: string) {
  const db = c.get("db");
  const { auth, results } = await authenticate(c, { roles: ADMIN_ROLES }, () => [
    userWithLockout(db, eq(users.id, userId)),
    methodsOfUsers(db, userId),
    currentPolicyQuery(db),
  ]);
  const [targetRows, methods, policyRows] = results;
  const target = targetRows[0];
  if (!target) throw notFound("No user has that id.");
  assertMayActOn(auth.user, target.user);
  const audit = (type: string, detail: Record<string, unknown>) => ({
    type,
    at: c.get("now"),
    actorId: auth.user.id,
    subjectId: userId,
    ip: c.get("ip"),
    outcome: "success" as const,
    detail,
  });
  // Every statement of the write batch runs only while the target exists and the actor may still act on
  // it (a password admin's target promoted meanwhile is left alone), and the audit row with them.
  const guard = targetWhere(userId, actorMayWrite(auth.user));
  return { db, auth, target, methods, policy: policyFromRow(policyRows[0]), audit, guard };
}

/**
 * POST /v1/admin/users/{id}/password: a temporary password (the admin's, checked against the policy,
 * or a generated one), which the user must change; every session revoked and the sign-in lockout
 * cleared (as after a self-service reset, spec §5), so the user can sign in with it at once. Unfinished
 * self-service resets go too: the admin's password is the one that stands, and a reset started before
 * it (by whoever holds the user's code) must not replace it.
 */
export async function setTemporaryPassword(c: Context<AppEnv>, userId: string, given: string | undefined) {
  const { db, target, methods, policy, audit, guard } = await loadTarget(c, userId);
  const user = target.user;
  const timing = c.get("timing");
  const now = c.get("now");
  const external = directory.isExternal(user);
  if (given !== undefined) {
    // A directory user's history is the directory's: it has no hashes here.
    const previousHashes = external ? undefined : [user.passwordHash, ...user.passwordHistory];
    checkNewPassword(given, policy, { username: user.username, displayName: user.displayName, previousHashes }, timing);
  }
  const temporaryPassword = given ?? generateTemporaryPassword(policy, user);
  // A directory user's password is set by the agent first (its refusal: 422 or 503, nothing changed
  // here); once the directory has it, the record below must follow, so it is not guarded.
  if (external) await directory.setExternalPassword(c.env, user, { mode: "admin", password: temporaryPassword, mustChange: true });
  const hash = external ? null : timing.kdf(() => hashPassword(temporaryPassword, kdfParams(c.env.KDF_PROFILE)));
  const onlyIf = hash === null ? sql`1` : and(guard, stillOurs(userId, user.passwordHash, hash))!;
  const notice = passwordSetByAdminNotice(c, { user, methods, policy, onlyIf });
  const results = await db.batch([
    external
      ? directory.recordExternalPassword(db, userId, now, { mustChange: true }).returning({ id: users.id })
      : directory.setPassword(db, user, hash!, now, { mustChange: true, onlyIf }).returning({ id: users.id }),
    auditInsertIf(db, audit("admin.password_set", { generated: given === undefined }), onlyIf),
    directory.revokeSessions(db, userId, onlyIf),
    directory.clearSignInLockout(db, userId, onlyIf),
    ...endUnfinishedResets(db, userId, onlyIf),
    ...notice.statements,
  ]);
  if (hash !== null && results[0].length === 0) throw passwordChangedMeanwhile();
  notice.send();
  return { temporaryPassword };
}

const passwordChangedMeanwhile = () =>
  new ApiError(409, "conflict", "This account changed while its password was being set (by another admin, or by the user). Nothing was changed: open the account again and retry if it still needs a new password.");

/**
 * Every write re-checks, inside SQL, that this admin may still act on the target (`guard`: a password
 * admin on an account promoted meanwhile must not set its password) and that the password is still the
 * one read, or already the one this batch writes (it holds on both sides of the batch's own UPDATE).
 * Of concurrent sets only the first therefore writes; every other admin is told, instead of being
 * given a temporary password that no longer works.
 */
const stillOurs = (userId: string, read: string | null, written: string) =>
  targetWhere(userId, sql`(${users.passwordHash} is ${read} or ${users.passwordHash} = ${written})`);

/**
 * DELETE /v1/admin/users/{id}/methods: the user must register again (last confirmation forgotten).
 * Unfinished resets go too: an admin clears methods when one may be in the wrong hands, and a reset
 * already verified with it must not go on to set a password.
 */
export async function clearMethods(c: Context<AppEnv>, userId: string) {
  const { db, methods, audit, guard } = await loadTarget(c, userId);
  await db.batch([
    auditInsertIf(db, audit("admin.methods_cleared", { removed: methods.length, types: [...new Set(methods.map((m) => m.type))].sort() }), guard),
    db.delete(recoveryMethods).where(and(eq(recoveryMethods.userId, userId), guard)),
    ...endUnfinishedResets(db, userId, guard),
    db.update(users).set({ registrationConfirmedAt: null }).where(and(eq(users.id, userId), guard)),
  ]);
}

/**
 * POST /v1/admin/users/{id}/unlock: clears the sign-in lockout of the user's username (a hard lock at
 * the consecutive-failure cap too, which no wait ends), the self-service
 * reset block, and the failed-identity-check counters that lead to a block (spec §6), so the user
 * starts again with the full allowance. For a directory user the agent clears the directory's lock
 * first (503 when it cannot, and nothing is cleared here either).
 */
export async function unlockUser(c: Context<AppEnv>, userId: string) {
  const { db, target, audit, guard } = await loadTarget(c, userId);
  const now = c.get("now");
  // The directory's own lockout first (spec: unlock clears it too); if the agent cannot, nothing changes here.
  if (directory.isExternal(target.user)) await directory.unlockExternal(c.env, target.user);
  const detail = {
    lockedUntil: target.lockedUntil && target.lockedUntil > now ? isoOrNull(target.lockedUntil) : null,
    resetBlockedUntil: target.user.resetBlockedUntil && target.user.resetBlockedUntil > now ? isoOrNull(target.user.resetBlockedUntil) : null,
  };
  // The reset flow's failure counters (resets/failures.ts): one per user, one per method.
  const methodKeys = sql`(select ${FAILURE_KEYS.method("")} || ${recoveryMethods.id} from ${recoveryMethods} where ${recoveryMethods.userId} = ${userId})`;
  await db.batch([
    auditInsertIf(db, audit("admin.unlocked", detail), guard),
    db.delete(rateCounters).where(and(or(eq(rateCounters.key, FAILURE_KEYS.user(userId)), sql`${rateCounters.key} in ${methodKeys}`), guard)),
    db.update(users).set({ resetBlockedUntil: null }).where(and(eq(users.id, userId), guard)),
    db.delete(signInLockouts).where(and(eq(signInLockouts.username, target.user.username), guard)),
  ]);
}
