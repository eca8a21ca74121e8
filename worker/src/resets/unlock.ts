import type { SQL } from "drizzle-orm";
import { and, eq, isNull, lte, or, sql } from "drizzle-orm";
import type { Reset } from "../../../shared/api/resets.js";
import { auditInsertIf } from "../audit.js";
import type { FlowContext } from "../context.js";
import { newId } from "../crypto/random.js";
import { runBatch } from "../db/batch.js";
import { rateCounters, recoveryMethods, resets, users } from "../db/schema.js";
import { outboxStatements, sendLater } from "../delivery/deliver.js";
import { directory } from "../directory/directory.js";
import { ApiError, unlockNotAllowed } from "../errors.js";
import type { LoadedReset } from "./authenticate-reset.js";
import { CLAIM_MS, lostBecause, whyLost } from "./complete.js";
import { mayComplete } from "./rules-sql.js";
import { FAILURE_KEYS } from "./failures.js";
import { resetNotifications } from "./notifications.js";
import { toReset } from "./view.js";

export interface Unlock {
  ctx: FlowContext;
  loaded: LoadedReset;
  globalAdminEmails: string[];
}

/**
 * POST /v1/resets/{id}/unlock (issue 15, Entra's "I know my password, but still can't sign in"): after
 * the same verification as a reset, the sign-in lockout and the reset's failure counters are cleared and
 * the password stays. Sessions stay too (the password did not change hands). Like a completion, the
 * reset row decides the winner in SQL, so of concurrent unlocks exactly one acts and is audited and
 * notified; the others get the completion's 409. A directory user's own lockout is cleared by the
 * agent first, under a claim, as completeExternal sets a password.
 */
export async function unlock(u: Unlock): Promise<Reset> {
  const { ctx, loaded } = u;
  const { db, now } = ctx;
  if (loaded.reset.purpose !== "unlock" || !loaded.policy.selfServiceReset.allowUnlock) throw unlockNotAllowed();
  if (loaded.reset.status !== "verified") throw new ApiError(409, "not_verified", "Verify your identity first.");
  const completionId = newId("cmp");
  const resetId = loaded.reset.id;
  const external = directory.isExternal(loaded.user);
  const mayAct = and(eq(resets.id, resetId), eq(resets.status, "verified"), mayComplete(resetId, now));

  if (external) {
    const free = or(isNull(resets.claimedUntil), lte(resets.claimedUntil, now));
    const [claimed, why] = await db.batch([
      db.update(resets).set({ completionId, claimedUntil: now + CLAIM_MS }).where(and(mayAct, free)).returning({ id: resets.id }),
      whyLost(db, loaded),
    ]);
    if (claimed.length === 0) throw lostBecause(why, now);
    try {
      await directory.unlockExternal(ctx.env, loaded.user);
    } catch (e) {
      await db.update(resets).set({ completionId: null, claimedUntil: null }).where(and(eq(resets.id, resetId), eq(resets.completionId, completionId)));
      throw e;
    }
  }

  // Native: this statement is the race; directory: the claim above was, and this one records it.
  const completing = external
    ? db.update(resets).set({ status: "completed", completedAt: now, claimedUntil: null }).where(and(eq(resets.id, resetId), eq(resets.completionId, completionId))).returning({ id: resets.id })
    : db.update(resets).set({ status: "completed", completedAt: now, completionId }).where(mayAct).returning({ id: resets.id });
  // Once the directory has unlocked, the record follows whatever happened meanwhile (as completeExternal).
  const won: SQL = external ? sql`1` : sql`exists (select 1 from ${resets} where ${resets.id} = ${resetId} and ${resets.completionId} = ${completionId})`;
  const effects = unlockEffects(u, won);
  const results = await runBatch(db, [completing, ...effects.statements, whyLost(db, loaded)]);
  if (!external && (results[0] as { id: string }[]).length === 0) throw lostBecause(results[results.length - 1], now);
  effects.send();
  return toReset({ ...loaded.reset, status: "completed", completedAt: now, completionId, claimedUntil: null }, loaded.methods);
}

/** What an unlock clears (as a completed reset does, spec §6), audits and notifies, each only if `onlyIf`. */
function unlockEffects(u: Unlock, onlyIf: SQL) {
  const { ctx, loaded } = u;
  const { db, now } = ctx;
  const { user, policy } = loaded;
  const messages = resetNotifications({ kind: "unlock", policy, user, methods: loaded.registered, globalAdminEmails: u.globalAdminEmails, now, ip: ctx.ip });
  return {
    statements: [
      directory.clearSignInLockout(db, user.id, onlyIf),
      db.update(users).set({ resetBlockedUntil: null }).where(and(eq(users.id, user.id), onlyIf)),
      db.delete(rateCounters).where(and(eq(rateCounters.key, FAILURE_KEYS.user(user.id)), onlyIf)),
      db.delete(rateCounters).where(and(sql`${rateCounters.key} in (select ${sql`'reset-fail:method:' || ${recoveryMethods.id}`} from ${recoveryMethods} where ${recoveryMethods.userId} = ${user.id})`, onlyIf)),
      auditInsertIf(db, { type: "reset.unlocked", at: now, actorId: user.id, subjectId: user.id, ip: ctx.ip, outcome: "success", detail: { resetId: loaded.reset.id, notified: messages.length } }, onlyIf),
      ...outboxStatements(ctx.env, db, messages, now, onlyIf),
    ],
    send: () => sendLater({ ...ctx, userId: user.id }, messages, { resetId: loaded.reset.id }),
  };
}
