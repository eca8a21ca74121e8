import type { SQL, SQLWrapper } from "drizzle-orm";
import { asc, eq, inArray, sql } from "drizzle-orm";
import type { AdminUser } from "../../../shared/api/users.js";
import type { Policy } from "../../../shared/policy/schema.js";
import { iso } from "../clock.js";
import type { Db } from "../context.js";
import { recoveryMethods, signInLockouts, users } from "../db/schema.js";
import type { MethodRow, UserRow } from "../directory/views.js";
import { toMethod, toUser } from "../directory/views.js";
import { registrationStatus } from "../registration/status.js";

/** A user row with its sign-in lockout (keyed by the normalised username, spec §6). */
export const userWithLockout = (db: Db, where: SQL) =>
  db
    .select({ user: users, lockedUntil: signInLockouts.lockedUntil })
    .from(users)
    .leftJoin(signInLockouts, eq(signInLockouts.username, users.username))
    .where(where);

/** What an AdminUser shows of a user row (toUser, registrationStatus, the lock states): never the hash or history. */
const ADMIN_USER_COLUMNS = {
  id: users.id,
  username: users.username,
  displayName: users.displayName,
  source: users.source,
  roles: users.roles,
  groups: users.groups,
  mustChangePassword: users.mustChangePassword,
  disabled: users.disabled,
  createdAt: users.createdAt,
  passwordChangedAt: users.passwordChangedAt,
  passwordExpiresAt: users.passwordExpiresAt,
  passwordNeverExpires: users.passwordNeverExpires,
  locale: users.locale,
  registrationConfirmedAt: users.registrationConfirmedAt,
  registrationSkips: users.registrationSkips,
  resetBlockedUntil: users.resetBlockedUntil,
  lastSignInAt: users.lastSignInAt,
};

export type AdminUserRow = Pick<UserRow, keyof typeof ADMIN_USER_COLUMNS>;
export type UserWithLockout = { user: AdminUserRow; lockedUntil: number | null };

/** What an AdminUser shows of a method (toMethod). */
export type ShownMethod = Pick<MethodRow, "id" | "type" | "hint" | "status" | "createdAt" | "verifiedAt">;

/**
 * A page of users with their lockouts and, as one JSON column each, their methods: one statement, so
 * the page's subquery (admin/user-search.ts) runs once rather than again for a methods query. Only the
 * columns an AdminUser shows: a page carries 51 rows through D1's JSON and drizzle's mapping, and the
 * other eleven columns (hashes, directory bookkeeping) were most of each row (issue 13).
 */
export const usersWithLockoutAndMethods = (db: Db, where: SQL) =>
  db
    .select({
      user: ADMIN_USER_COLUMNS,
      lockedUntil: signInLockouts.lockedUntil,
      methods: sql<string>`(select json_group_array(json_object('id', m.id, 'type', m.type, 'hint', m.hint, 'status', m.status, 'createdAt', m.created_at, 'verifiedAt', m.verified_at))
        from ${recoveryMethods} as m where m.user_id = ${users.id})`,
    })
    .from(users)
    .leftJoin(signInLockouts, eq(signInLockouts.username, users.username))
    .where(where);

/** The methods column of usersWithLockoutAndMethods, in methodsOfUsers' order (created, then id). */
export function parseMethods(json: string): ShownMethod[] {
  return (JSON.parse(json) as ShownMethod[]).sort((a, b) => a.createdAt - b.createdAt || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

/** Methods of every user `userIds` selects (an id, or a subquery of ids). */
export const methodsOfUsers = (db: Db, userIds: SQLWrapper | string) =>
  db
    .select()
    .from(recoveryMethods)
    .where(typeof userIds === "string" ? eq(recoveryMethods.userId, userIds) : inArray(recoveryMethods.userId, userIds))
    .orderBy(asc(recoveryMethods.createdAt), asc(recoveryMethods.id));

/** The reads behind one AdminUser, for a read batch or after the writes of a write batch. */
export const adminUserReads = (db: Db, userId: string) =>
  [userWithLockout(db, eq(users.id, userId)), methodsOfUsers(db, userId)] as const;

const future = (ms: number | null | undefined, now: number) => (ms != null && ms > now ? iso(ms) : null);

/** Contract AdminUser: User plus registration (hints only), lock state and last sign-in; never a secret. */
export function toAdminUser(row: UserWithLockout, methods: ShownMethod[], policy: Policy, now: number): AdminUser {
  return {
    ...toUser(row.user, policy, now),
    registration: registrationStatus(row.user, methods.map(toMethod), policy, now),
    // A name at the sign-in hard cap shows 9999-12-31T23:59:59.999Z: locked until someone unlocks it.
    lockedUntil: future(row.lockedUntil, now),
    resetBlockedUntil: future(row.user.resetBlockedUntil, now),
    lastSignInAt: row.user.lastSignInAt == null ? null : iso(row.user.lastSignInAt),
  };
}
