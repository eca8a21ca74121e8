import type { SQL } from "drizzle-orm";
import { and, eq, sql } from "drizzle-orm";
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
import type { LoadedReset } from "./authenticate-reset.js";
import { resetBlocked, resetCompleted } from "./authenticate-reset.js";
import { endUnfinishedResets } from "./end-unfinished.js";
import { FAILURE_KEYS } from "./failures.js";
import { resetNotifications } from "./notifications.js";
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
 * if it is still there and `verified` and its user neither disabled nor blocked — so of many concurrent
 * completions exactly one wins, and none once an admin disables the user (or deletes the reset) or a
 * block is set — and every other statement depends on that: new hash, sessions revoked, the user's
 * other unfinished resets ended (a second reset, perhaps someone else's, must not replace this
 * password), lockout and failure counters cleared, audit.
 */
export async function complete(c: Complete): Promise<Reset> {
  const { ctx, loaded } = c;
  const { db, now } = ctx;
  if (loaded.reset.status !== "verified") throw new ApiError(409, "not_verified", "Verify your identity first.");
  const { user, policy } = loaded;
  checkNewPassword(c.newPassword, policy, { username: user.username, displayName: user.displayName, previousHashes: [user.passwordHash, ...user.passwordHistory] }, ctx.timing);
  const hash = ctx.timing.kdf(() => hashPassword(c.newPassword, kdfParams(ctx.env.KDF_PROFILE)));
  // Not `completed_at = now`: two requests can share a millisecond, and only one of them may act.
  const completionId = newId("cmp");
  const won: SQL = sql`exists (select 1 from ${resets} where ${resets.id} = ${loaded.reset.id} and ${resets.completionId} = ${completionId})`;
  const messages = resetNotifications({ policy, user, methods: loaded.methods, globalAdminEmails: c.globalAdminEmails, now, ip: ctx.ip });
  // A disable or a block that lands after this request read the user (an admin, a concurrent failed
  // check in another reset) stops the completion too: the guard is in the winning statement, so every
  // other statement follows it. An admin's disable, password or role change also deletes the reset in
  // its own batch, which the `verified` condition then fails to find.
  const userMayComplete = sql`exists (select 1 from ${users} where ${users.id} = ${user.id} and ${users.disabled} = 0 and (${users.resetBlockedUntil} is null or ${users.resetBlockedUntil} <= ${now}))`;
  const statements = [
    db.update(resets).set({ status: "completed", completedAt: now, completionId }).where(and(eq(resets.id, loaded.reset.id), eq(resets.status, "verified"), userMayComplete)).returning({ id: resets.id }),
    directory.setPassword(db, user, hash, now, { mustChange: false, onlyIf: won }),
    directory.revokeSessions(db, user.id, won),
    ...endUnfinishedResets(db, user.id, won),
    directory.clearSignInLockout(db, user.id, won),
    db.update(users).set({ resetBlockedUntil: null }).where(and(eq(users.id, user.id), won)),
    db.delete(rateCounters).where(and(eq(rateCounters.key, FAILURE_KEYS.user(user.id)), won)),
    db.delete(rateCounters).where(and(sql`${rateCounters.key} in (select ${sql`'reset-fail:method:' || ${recoveryMethods.id}`} from ${recoveryMethods} where ${recoveryMethods.userId} = ${user.id})`, won)),
    auditInsertIf(db, { type: "reset.completed", at: now, actorId: user.id, subjectId: user.id, ip: ctx.ip, outcome: "success", detail: { resetId: loaded.reset.id, notified: messages.length } }, won),
    ...outboxStatements(ctx.env, db, messages, now, won),
  ];
  // Read in the same batch (same round trip), after the writes: why a lost completion lost.
  const whyRead = db
    .select({ until: users.resetBlockedUntil, disabled: users.disabled, status: resets.status })
    .from(users)
    .leftJoin(resets, eq(resets.id, loaded.reset.id))
    .where(eq(users.id, user.id));
  const results = await runBatch(db, [...statements, whyRead]);
  const completed = results[0] as { id: string }[];
  if (completed.length === 0) {
    const why = (results[results.length - 1] as { until: number | null; disabled: boolean; status: string | null }[])[0];
    // Revoked (user disabled or gone, reset deleted by an admin action): what authenticateReset answers.
    if (!why || why.disabled || why.status === null) throw unauthorized();
    if (why.until !== null && why.until > now) throw resetBlocked(why.until, now);
    throw resetCompleted();
  }
  sendLater({ ...ctx, userId: user.id }, messages, { resetId: loaded.reset.id });
  return toReset({ ...loaded.reset, status: "completed", completedAt: now, completionId }, loaded.methods);
}
