import type { SQL, SQLWrapper } from "drizzle-orm";
import { asc, eq, inArray } from "drizzle-orm";
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

export type UserWithLockout = { user: UserRow; lockedUntil: number | null };

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
export function toAdminUser(row: UserWithLockout, methods: MethodRow[], policy: Policy, now: number): AdminUser {
  return {
    ...toUser(row.user, policy, now),
    registration: registrationStatus(row.user, methods.map(toMethod), policy, now),
    // A name at the sign-in hard cap shows 9999-12-31T23:59:59.999Z: locked until someone unlocks it.
    lockedUntil: future(row.lockedUntil, now),
    resetBlockedUntil: future(row.user.resetBlockedUntil, now),
    lastSignInAt: row.user.lastSignInAt == null ? null : iso(row.user.lastSignInAt),
  };
}

/** Groups method rows by user, for a page of users read with one methods query. */
export function methodsByUser(rows: MethodRow[]): Map<string, MethodRow[]> {
  const byUser = new Map<string, MethodRow[]>();
  for (const row of rows) {
    const list = byUser.get(row.userId);
    if (list) list.push(row);
    else byUser.set(row.userId, [row]);
  }
  return byUser;
}
