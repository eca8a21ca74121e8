import type { SQL } from "drizzle-orm";
import { and, eq, isNull, lte, or, sql } from "drizzle-orm";
import type { Reset } from "../../../shared/api/resets.js";
import { auditInsertIf } from "../audit.js";
import type { FlowContext } from "../context.js";
import { hashPassword, kdfParams } from "../crypto/password-hash.js";
import { newId } from "../crypto/random.js";
import { runBatch } from "../db/batch.js";
import { rateCounters, recoveryMethods, resets, users } from "../db/schema.js";
import { directory } from "../directory/directory.js";
import { outboxStatements, sendLater } from "../delivery/deliver.js";
import { ApiError, unauthorized } from "../errors.js";
import { checkNewPassword } from "../passwords/new-password.js";
import { changedBeforeExpiry } from "../passwords/expiry-audit.js";
import type { LoadedReset } from "./authenticate-reset.js";
import { resetBlocked, resetCompleted } from "./authenticate-reset.js";
import { endUnfinishedResets } from "./end-unfinished.js";
import { FAILURE_KEYS } from "./failures.js";
import { resetNotifications } from "./notifications.js";
import { mayComplete, stands } from "./rules-sql.js";
import { toReset } from "./view.js";

/** Every global admin's contact addresses: account email and active email methods (for the admin-reset alert). */
export const globalAdminEmailsQuery = (db: FlowContext["db"]) =>
  db
    .select({ email: sql<string | null>`coalesce(${recoveryMethods.target}, '')`, account: users.email })
    .from(users)
    .leftJoin(recoveryMethods, and(eq(recoveryMethods.userId, users.id), eq(recoveryMethods.type, "email"), eq(recoveryMethods.status, "active")))
    .where(sql`exists (select 1 from json_each(${users.roles}) where value = 'global_admin') and ${users.disabled} = 0`);

export interface Complete {
  ctx: FlowContext;
  loaded: LoadedReset;
  newPassword: string;
  globalAdminEmails: string[];
}

/**
 * POST /v1/resets/{id}/password. One D1 batch does everything (spec §5): the reset is completed only
 * if it is still there, `verified` and standing (mayComplete: the user enabled and not blocked, the
 * policy still letting them reset with these proofs) — so of many concurrent completions exactly one
 * wins, and none once an admin disables the user (or deletes the reset), a block is set or the policy
 * changes under it — and every other statement depends on that: new hash, sessions revoked, the user's
 * other unfinished resets ended (a second reset, perhaps someone else's, must not replace this
 * password), lockout and failure counters cleared, audit.
 */
export async function complete(c: Complete): Promise<Reset> {
  const { ctx, loaded } = c;
  const { db, now } = ctx;
  if (loaded.reset.status !== "verified") throw new ApiError(409, "not_verified", "Verify your identity first.");
  if (directory.isExternal(loaded.user)) return completeExternal(c);
  const { user, policy } = loaded;
  checkNewPassword(c.newPassword, policy, { username: user.username, displayName: user.displayName, previousHashes: [user.passwordHash, ...user.passwordHistory] }, ctx.timing);
  const hash = ctx.timing.kdf(() => hashPassword(c.newPassword, kdfParams(ctx.env.KDF_PROFILE)));
  // Not `completed_at = now`: two requests can share a millisecond, and only one of them may act.
  const completionId = newId("cmp");
  const won: SQL = sql`exists (select 1 from ${resets} where ${resets.id} = ${loaded.reset.id} and ${resets.completionId} = ${completionId})`;
  const effects = completionEffects(c, won);
  // A disable or a block that lands after this request read the user (an admin, a concurrent failed
  // check in another reset) stops the completion too: the guard is in the winning statement, so every
  // other statement follows it. An admin's disable, password or role change also deletes the reset in
  // its own batch, which the `verified` condition then fails to find.
  const statements = [
    db.update(resets).set({ status: "completed", completedAt: now, completionId }).where(and(eq(resets.id, loaded.reset.id), eq(resets.status, "verified"), mayComplete(loaded.reset.id, now))).returning({ id: resets.id }),
    directory.setPassword(db, user, hash, now, { mustChange: false, onlyIf: won }),
    ...effects.statements,
  ];
  const results = await runBatch(db, [...statements, whyLost(db, loaded)]);
  const completed = results[0] as { id: string }[];
  if (completed.length === 0) throw lostBecause(results[results.length - 1], now);
  effects.send();
  return toReset({ ...loaded.reset, status: "completed", completedAt: now, completionId }, loaded.methods);
}

/**
 * Everything a completed reset changes besides the password, each statement only if `onlyIf` holds:
 * sessions revoked, the user's other unfinished resets ended (a second reset, perhaps someone else's,
 * must not replace this password), lockout, block and failure counters cleared, audit, notifications
 * (`send` once the batch has committed).
 */
function completionEffects(c: Complete, onlyIf: SQL) {
  const { ctx, loaded } = c;
  const { db, now } = ctx;
  const { user, policy } = loaded;
  const messages = resetNotifications({ policy, user, methods: loaded.registered, globalAdminEmails: c.globalAdminEmails, now, ip: ctx.ip });
  return {
    statements: [
      directory.revokeSessions(db, user.id, onlyIf),
      ...endUnfinishedResets(db, user.id, onlyIf),
      directory.clearSignInLockout(db, user.id, onlyIf),
      db.update(users).set({ resetBlockedUntil: null }).where(and(eq(users.id, user.id), onlyIf)),
      db.delete(rateCounters).where(and(eq(rateCounters.key, FAILURE_KEYS.user(user.id)), onlyIf)),
      db.delete(rateCounters).where(and(sql`${rateCounters.key} in (select ${sql`'reset-fail:method:' || ${recoveryMethods.id}`} from ${recoveryMethods} where ${recoveryMethods.userId} = ${user.id})`, onlyIf)),
      auditInsertIf(db, { type: "reset.completed", at: now, actorId: user.id, subjectId: user.id, ip: ctx.ip, outcome: "success", detail: { resetId: loaded.reset.id, notified: messages.length, ...changedBeforeExpiry(user, policy, now) } }, onlyIf),
      ...outboxStatements(ctx.env, db, messages, now, onlyIf),
    ],
    send: () => sendLater({ ...ctx, userId: user.id }, messages, { resetId: loaded.reset.id }),
  };
}

/** Read in the same batch as the completing write, after it: why a completion that did not win lost. */
export const whyLost = (db: FlowContext["db"], loaded: LoadedReset) =>
  db
    .select({ until: users.resetBlockedUntil, disabled: users.disabled, status: resets.status, claimedUntil: resets.claimedUntil, stands: sql<number>`${stands(loaded.reset.id)}` })
    .from(users)
    .leftJoin(resets, eq(resets.id, loaded.reset.id))
    .where(eq(users.id, loaded.user.id));

export function lostBecause(result: unknown, now: number): ApiError {
  const why = (result as { until: number | null; disabled: boolean; status: string | null; claimedUntil: number | null; stands: number }[])[0];
  // Revoked (user disabled or gone, reset deleted by an admin action, or no longer standing under the
  // policy): what authenticateReset answers.
  if (!why || why.disabled || why.status === null || (why.status === "verified" && !why.stands)) return unauthorized();
  if (why.until !== null && why.until > now) return resetBlocked(why.until, now);
  if (why.status === "verified" && why.claimedUntil !== null && why.claimedUntil > now) {
    return new ApiError(409, "conflict", "Your new password is being set right now. Wait for that answer.");
  }
  return resetCompleted();
}

/**
 * Longer than an agent job may take (20 s): a completion holds its reset at most this long, so a
 * worker that died holding one does not keep the user from trying again until the reset expires.
 */
export const CLAIM_MS = 60_000;

/**
 * The same completion for a directory user, where the password is set by the agent and only then
 * recorded here. The first batch claims the reset (verified, unclaimed, user may complete), so of
 * concurrent completions exactly one calls the agent. If the directory refuses (422, rule
 * "directory") or cannot be reached (503), the claim is released: nothing changed, the reset stays
 * verified for another try. Once the directory has set the password, the record follows whatever
 * happened meanwhile (an admin's disable deleting the reset included): the directory's password
 * changed, so sessions must go and the reset must not be used again.
 */
async function completeExternal(c: Complete): Promise<Reset> {
  const { ctx, loaded } = c;
  const { db, now } = ctx;
  const { user, policy } = loaded;
  // The worker's rules; history is the directory's (it keeps the previous passwords).
  checkNewPassword(c.newPassword, policy, { username: user.username, displayName: user.displayName }, ctx.timing);
  const completionId = newId("cmp");
  const resetId = loaded.reset.id;
  const free = or(isNull(resets.claimedUntil), lte(resets.claimedUntil, now));
  const [claimed, why] = await db.batch([
    db.update(resets).set({ completionId, claimedUntil: now + CLAIM_MS }).where(and(eq(resets.id, resetId), eq(resets.status, "verified"), free, mayComplete(loaded.reset.id, now))).returning({ id: resets.id }),
    whyLost(db, loaded),
  ]);
  if (claimed.length === 0) throw lostBecause(why, now);
  try {
    await directory.setExternalPassword(ctx.env, user, { mode: "reset", password: c.newPassword, mustChange: false });
  } catch (e) {
    await db.update(resets).set({ completionId: null, claimedUntil: null }).where(and(eq(resets.id, resetId), eq(resets.completionId, completionId)));
    throw e;
  }
  const effects = completionEffects(c, sql`1`);
  await runBatch(db, [
    db.update(resets).set({ status: "completed", completedAt: now, claimedUntil: null }).where(and(eq(resets.id, resetId), eq(resets.completionId, completionId))),
    directory.recordExternalPassword(db, user.id, now, { mustChange: false }),
    ...effects.statements,
  ]);
  effects.send();
  return toReset({ ...loaded.reset, status: "completed", completedAt: now, completionId, claimedUntil: null }, loaded.methods);
}
