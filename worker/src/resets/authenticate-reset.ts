import { eq, sql } from "drizzle-orm";
import type { BatchItem } from "drizzle-orm/batch";
import type { Context } from "hono";
import type { AppEnv } from "../context.js";
import { sha256Hex } from "../crypto/token-hash.js";
import { statementTemplate } from "../db/templates.js";
import { resets, users } from "../db/schema.js";
import { directory } from "../directory/directory.js";
import type { MethodRow, UserRow } from "../directory/views.js";
import { ApiError, unauthorized } from "../errors.js";
import { currentPolicyQuery, policyFromRow } from "../policy/store.js";
import type { Policy } from "../../../shared/policy/schema.js";
import { bearerToken } from "../sessions/authenticate.js";
import { isEnabledForReset, methodRulesFor } from "../registration/status.js";
import type { ResetRow } from "./view.js";
import { usableMethods } from "./view.js";

export interface LoadedReset {
  reset: ResetRow;
  user: UserRow;
  policy: Policy;
  /** The methods this reset may use, in registration order. */
  methods: MethodRow[];
  /** Every method the user has, usable here or not: a completed reset is announced to all their active emails. */
  registered: MethodRow[];
}

export const resetExpired = () => new ApiError(410, "reset_expired", "This reset has expired. Start again.");
export const resetCompleted = () => new ApiError(409, "reset_completed", "This reset is already complete. Sign in with your new password.");

export function resetBlocked(until: number, now: number) {
  const seconds = Math.max(1, Math.ceil((until - now) / 1000));
  return new ApiError(429, "reset_blocked", "Too many failed verifications. Self-service reset is blocked for now; try later or contact your helpdesk.", undefined, {
    "Retry-After": String(seconds),
  });
}

/** The reset of a token hash, its user, their methods and the policy: the reads every reset request starts with. */
const resetReads = statementTemplate(["tokenHash"], (db, p) => {
  const userId = sql`(select ${resets.userId} from ${resets} where ${resets.tokenHash} = ${p.tokenHash})`;
  return [
    db.select().from(resets).where(eq(resets.tokenHash, p.tokenHash)).limit(1),
    db.select().from(users).where(eq(users.id, userId)).limit(1),
    directory.methodsOf(db, userId),
    currentPolicyQuery(db),
  ] as const;
});

/**
 * The reset named by the path, authorised by its bearer token, with its user, policy and methods and the
 * route's own statements (given the token's hash) — one D1 batch. A route that writes in this batch
 * gates its writes in SQL (rules-sql.ts `mayProve`), since the checks below run only after the batch.
 * A token that matches no reset is 401; a completed reset is 409; a revoked reset (see `isRevoked`) is
 * 401 too, the answer its token gets once an admin action has deleted it; a reset past its 15 minutes
 * 410; then, whatever the reset's state, a user whose self-service reset is blocked gets 429
 * `reset_blocked` (contract: the failure that reaches the block and every call after it). The terminal
 * answers come first because they are final: a `Retry-After` on a reset that can never work again
 * would mislead.
 */
export async function authenticateReset<T extends BatchItem<"sqlite">[]>(
  c: Context<AppEnv>,
  resetId: string,
  reads: (tokenHash: string) => [...T] = () => [] as unknown as [...T],
): Promise<LoadedReset & { results: { [K in keyof T]: Awaited<T[K]> } }> {
  const token = bearerToken(c.req.header("authorization"));
  if (!token) throw unauthorized();
  const tokenHash = await sha256Hex(token);
  const db = c.get("db");
  const [resetRows, userRows, methodRows, policyRows, ...results] = (await db.batch([...resetReads(db, { tokenHash }), ...reads(tokenHash)])) as unknown as [
    ResetRow[],
    UserRow[],
    MethodRow[],
    Parameters<typeof policyFromRow>[0][],
    ...unknown[],
  ];
  const reset = resetRows[0];
  const user = userRows[0];
  // The id in the path must be the token's reset: a token is never valid for another reset.
  if (!reset || !user || reset.id !== resetId) throw unauthorized();
  if (reset.status === "completed") throw resetCompleted();
  const policy = policyFromRow(policyRows[0]);
  const rules = { ...methodRulesFor(user, policy), required: reset.methodsRequired };
  const methods = usableMethods(methodRows, rules);
  if (isRevoked(reset, user, policy, methods)) throw unauthorized();
  const now = c.get("now");
  if (reset.expiresAt <= now) throw resetExpired();
  const blockedUntil = user.resetBlockedUntil;
  if (blockedUntil !== null && blockedUntil > now) throw resetBlocked(blockedUntil, now);
  return { reset, user, policy, methods, registered: methodRows, results: results as { [K in keyof T]: Awaited<T[K]> } };
}

/**
 * Whether an unfinished reset lost its footing since it started, judged on the user and policy as they
 * are now (start.ts judged them as they were): the user is disabled, or the policy no longer lets them
 * reset (their group left the selection, an admin account with the admin policy off), or their roles
 * or the policy now ask for more methods than the reset was started with (a user promoted to admin must
 * meet the two-gate admin policy), or a method it already verified no longer counts (removed, or of a
 * type the user's policy no longer offers, e.g. security questions for an admin). Such a reset is dead
 * for good, not re-planned: the user starts again under the current rules. Admin actions that disable,
 * set a password or change roles, a completed reset and a password change also delete the unfinished
 * resets (resets/end-unfinished.ts); this check covers the ways that do not, and is answered like a
 * deleted reset.
 */
export function isRevoked(reset: ResetRow, user: UserRow, policy: Policy, methods: MethodRow[]): boolean {
  if (user.disabled || !isEnabledForReset(user, policy)) return true;
  if (reset.methodsRequired < methodRulesFor(user, policy).required) return true;
  return !reset.verifiedMethodIds.every((id) => methods.some((m) => m.id === id));
}
