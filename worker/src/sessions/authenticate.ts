import type { SQL } from "drizzle-orm";
import { and, eq, gt, sql } from "drizzle-orm";
import type { BatchItem } from "drizzle-orm/batch";
import type { Context } from "hono";
import type { Role } from "../../../shared/api/common.js";
import type { AppEnv, SessionUser } from "../context.js";
import { sha256Hex } from "../crypto/token-hash.js";
import { sessions, users } from "../db/schema.js";
import type { UserRow } from "../directory/views.js";
import { ApiError, forbidden, unauthorized } from "../errors.js";
import { directory } from "../directory/directory.js";
import { isExpired } from "../passwords/expiry.js";
import { currentPolicyQuery, policyFromRow } from "../policy/store.js";
import type { Policy } from "../../../shared/policy/schema.js";
import { FRESH_MS } from "./session-token.js";

export interface AuthOptions {
  /** Any of these roles may pass; omitted: any signed-in user. */
  roles?: Role[];
  /**
   * Routes a user with `mustChangePassword` or an expired password may still reach (contract: GET
   * /v1/me, POST /v1/me/password, sign-out).
   */
  allowMustChange?: boolean;
  /**
   * The route changes how the account can be recovered (contract: fresh sessions): the password must
   * have been proved on this session within FRESH_MS, else 403 `reauth_required`. Read from the session
   * row this batch already loads, so it costs no round trip.
   */
  fresh?: boolean;
}

const isFresh = (provedAt: number, now: number) => now - provedAt < FRESH_MS;

/** The answer for a stale session on a route that needs a fresh one; `reauth` makes it fresh again. */
const reauthRequired = () =>
  new ApiError(403, "reauth_required", "Confirm it's you: enter your password again to change your recovery info.");

export interface Authenticated {
  tokenHash: string;
  expiresAt: number;
  user: SessionUser;
  row: UserRow;
  /** The current policy, read in the same batch (the password's expiry depends on it). */
  policy: Policy;
}

/** Any `Authorization: Bearer` credential (the setup token is the operator's choice, so any length). */
export function bearerCredential(header: string | undefined): string | null {
  return /^Bearer (\S{1,512})$/.exec(header ?? "")?.[1] ?? null;
}

export function bearerToken(header: string | undefined): string | null {
  const match = /^Bearer ([A-Za-z0-9._~+/=-]{16,512})$/.exec(header ?? "");
  return match ? match[1]! : null;
}

/**
 * Checks the bearer session and runs the route's reads in the same D1 batch, so authentication costs
 * no round trip of its own. Reads name the signed-in user through `userId`, a subquery on the token
 * hash; their results are discarded unless the session turns out valid.
 */
export async function authenticate<T extends BatchItem<"sqlite">[]>(
  c: Context<AppEnv>,
  opts: AuthOptions,
  reads: (userId: SQL) => [...T] = () => [] as unknown as [...T],
): Promise<{ auth: Authenticated; results: { [K in keyof T]: Awaited<T[K]> } }> {
  const token = bearerToken(c.req.header("authorization"));
  if (!token) throw unauthorized();
  const tokenHash = await sha256Hex(token);
  const db = c.get("db");
  const userId = sql`(select ${sessions.userId} from ${sessions} where ${sessions.tokenHash} = ${tokenHash})`;
  // Two single-table reads rather than a join: drizzle 0.45 maps joined columns by name in D1 batches,
  // which mixes up columns both tables have (created_at).
  const sessionQuery = db
    .select()
    .from(sessions)
    .where(and(eq(sessions.tokenHash, tokenHash), gt(sessions.expiresAt, c.get("now"))))
    .limit(1);
  const userQuery = db.select().from(users).where(eq(users.id, userId)).limit(1);
  const policyQuery = currentPolicyQuery(db);
  const [sessionRows, userRows, policyRows, ...results] = (await db.batch([sessionQuery, userQuery, policyQuery, ...reads(userId)])) as unknown as [
    Awaited<typeof sessionQuery>,
    Awaited<typeof userQuery>,
    Awaited<typeof policyQuery>,
    ...unknown[],
  ];
  const session = sessionRows[0];
  const user = userRows[0];
  if (!session || !user || user.disabled) throw unauthorized();
  const policy = policyFromRow(policyRows[0]);
  // An expired password restricts every session of the user from the moment it expires, not only the
  // ones signed in after: the session may only replace it (contract: Sessions).
  const expired = isExpired(directory.passwordExpiresAt(user, policy), c.get("now"));
  if ((user.mustChangePassword || expired) && !opts.allowMustChange) {
    throw new ApiError(403, "password_change_required", "Change your password first.");
  }
  if (opts.roles && !opts.roles.some((r) => user.roles.includes(r))) throw forbidden();
  if (opts.fresh && !isFresh(session.provedAt, c.get("now"))) throw reauthRequired();
  const sessionUser: SessionUser = {
    id: user.id,
    username: user.username,
    displayName: user.displayName,
    roles: user.roles,
    mustChangePassword: user.mustChangePassword,
  };
  return {
    auth: { tokenHash, expiresAt: session.expiresAt, user: sessionUser, row: user, policy },
    results: results as { [K in keyof T]: Awaited<T[K]> },
  };
}
