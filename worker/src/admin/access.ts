import type { SQL } from "drizzle-orm";
import { sql } from "drizzle-orm";
import type { Role } from "../../../shared/api/common.js";
import type { SessionUser } from "../context.js";
import { users } from "../db/schema.js";
import { ApiError, forbidden } from "../errors.js";
import { isAdminAccount } from "../registration/status.js";

/** Roles that may call /v1/admin/* at all (contract "Admin": "any admin"). */
export const ADMIN_ROLES: Role[] = ["global_admin", "password_admin"];

export const isGlobalAdmin = (actor: Pick<SessionUser, "roles">) => actor.roles.includes("global_admin");

/** Contract "Admin" (*): a password admin acts only on accounts without admin roles. */
export function assertMayActOn(actor: SessionUser, target: { roles: string[] }): void {
  if (!isGlobalAdmin(actor) && isAdminAccount(target.roles)) {
    throw forbidden("A password admin may act only on accounts without admin roles.");
  }
}

/** Contract "Admin" (*): a password admin may not set `roles` to anything but ["user"]. */
export function assertMayGrant(actor: SessionUser, roles: readonly string[] | undefined): void {
  if (roles === undefined || isGlobalAdmin(actor)) return;
  if (roles.length !== 1 || roles[0] !== "user") throw forbidden("Only a global admin may grant admin roles.");
}

export const lastAdmin = () =>
  new ApiError(409, "last_admin", "This is the last global admin: make another account a global admin first.");

/** Roles as stored: each once, in a fixed order, so equal sets compare and audit equally. */
export const normaliseRoles = (roles: readonly Role[]): Role[] =>
  (["user", "password_admin", "global_admin"] as const).filter((r) => roles.includes(r));

export const uniqueSorted = (values: readonly string[]): string[] => [...new Set(values)].sort();

/*
 * Guards evaluated inside the writing statement itself. D1 has no interactive transactions, so a check
 * made on an earlier read could be stale by the time the write runs (two admins demoting each other at
 * once would both pass it); a condition in the UPDATE/DELETE is checked atomically with the write.
 */

/** The row being written (`users`) holds an admin role now. */
export const rowIsAdmin: SQL = sql`exists (select 1 from json_each(${users.roles}) where value in ('global_admin', 'password_admin'))`;

/** Some enabled global admin other than `userId` exists now. */
export const otherActiveGlobalAdmin = (userId: string): SQL =>
  sql`exists (select 1 from users as other, json_each(other.roles) as r
    where r.value = 'global_admin' and other.disabled = 0 and other.id <> ${userId})`;

/**
 * The condition under which a change may remove `userId` from the enabled global admins (demote,
 * disable, delete): the row is not an enabled global admin now, or another one remains.
 */
export const keepsAGlobalAdmin = (userId: string): SQL =>
  sql`(not (exists (select 1 from json_each(${users.roles}) where value = 'global_admin') and ${users.disabled} = 0) or ${otherActiveGlobalAdmin(userId)})`;

/** A password admin's write applies only while the target still has no admin role. */
export const actorMayWrite = (actor: SessionUser): SQL => (isGlobalAdmin(actor) ? sql`1` : sql`not ${rowIsAdmin}`);

/**
 * `users` row `userId` exists and `condition` holds for it, as a statement-level condition (for
 * audit rows and side effects in the same batch, which must happen exactly when the guarded write does).
 */
export const targetWhere = (userId: string, condition: SQL): SQL =>
  sql`exists (select 1 from ${users} where ${users.id} = ${userId} and ${condition})`;
