import { searchFold } from "../../../shared/username.js";
import { and, eq, sql } from "drizzle-orm";
import type { SQL } from "drizzle-orm";
import type { Context } from "hono";
import type { PatchUserRequest } from "../../../shared/api/admin.js";
import type { AppEnv, SessionUser } from "../context.js";
import { auditInsertIf } from "../audit.js";
import { sessions, signInLockouts, users } from "../db/schema.js";
import { directory } from "../directory/directory.js";
import type { UserRow } from "../directory/views.js";
import { notFound } from "../errors.js";
import { currentPolicyQuery, policyFromRow } from "../policy/store.js";
import { endUnfinishedResets } from "../resets/end-unfinished.js";
import { authenticate } from "../sessions/authenticate.js";
import { ADMIN_ROLES, actorMayWrite, assertMayActOn, assertMayGrant, keepsAGlobalAdmin, lastAdmin, normaliseRoles, targetWhere, uniqueSorted } from "./access.js";
import { adminUserReads, toAdminUser } from "./views.js";

const userNotFound = () => notFound("No user has that id.");

/** Whether applying `patch` could take `target` out of the enabled global admins. */
const mayRemoveGlobalAdmin = (patch: PatchUserRequest) =>
  (patch.roles !== undefined && !patch.roles.includes("global_admin")) || patch.disabled === true;

/** Old and new value of each field the patch really changes, for the audit row. */
function changesOf(row: UserRow, patch: PatchUserRequest, next: Partial<UserRow>) {
  const changes: Record<string, { old: unknown; new: unknown }> = {};
  for (const key of Object.keys(patch) as (keyof PatchUserRequest)[]) {
    const old = row[key];
    const value = next[key];
    if (JSON.stringify(old) !== JSON.stringify(value)) changes[key] = { old, new: value };
  }
  return changes;
}

/**
 * PATCH /v1/admin/users/{id}. The rules are checked on the read (for a precise answer) and again inside
 * the UPDATE (so a concurrent change cannot slip past them): the last enabled global admin can never
 * be demoted or disabled, however many admins try at once (409 last_admin). A directory user's
 * fields are the directory's (409 managed_by_directory).
 */
export async function patchUser(c: Context<AppEnv>, userId: string, patch: PatchUserRequest) {
  const db = c.get("db");
  const now = c.get("now");
  const { auth, results } = await authenticate(c, { roles: ADMIN_ROLES }, () => [adminUserReads(db, userId)[0], currentPolicyQuery(db)]);
  const [targetRows, policyRows] = results;
  const target = targetRows[0]?.user;
  if (!target) throw userNotFound();
  assertMayActOn(auth.user, target);
  directory.assertWritable(target, patch);
  assertMayGrant(auth.user, patch.roles);

  const next: Partial<UserRow> = {
    ...(patch.displayName !== undefined ? { displayName: patch.displayName, displayNameFolded: searchFold(patch.displayName) } : {}),
    ...(patch.roles !== undefined ? { roles: normaliseRoles(patch.roles) } : {}),
    ...(patch.groups !== undefined ? { groups: uniqueSorted(patch.groups) } : {}),
    ...(patch.disabled !== undefined ? { disabled: patch.disabled } : {}),
    ...(patch.passwordNeverExpires !== undefined ? { passwordNeverExpires: patch.passwordNeverExpires } : {}),
    ...(patch.locale !== undefined ? { locale: patch.locale } : {}),
  };
  const guard = writeGuard(auth.user, userId, mayRemoveGlobalAdmin(patch));
  const audit = {
    type: "admin.user_updated",
    at: now,
    actorId: auth.user.id,
    subjectId: userId,
    ip: c.get("ip"),
    outcome: "success" as const,
    detail: { changes: changesOf(target, patch, next) },
  };
  // Disabling ends the user's unfinished resets as well as their sessions; so does a change of roles (an
  // account made admin must pass the two-gate admin policy, spec §4, not the one its reset started
  // under). resets/authenticate-reset.ts refuses such resets too; deleting them here means a
  // re-enable does not bring them back.
  const rolesChange = next.roles !== undefined && JSON.stringify(next.roles) !== JSON.stringify(target.roles);
  const endsResets = patch.disabled === true || rolesChange;
  // The audit row, the session revocation and the reset (and code) deletion go first, under the same guard as the
  // UPDATE and so against the same state: they happen exactly when the UPDATE does.
  const [, , , , updated, rows, methods] = await db.batch([
    auditInsertIf(db, audit, targetWhere(userId, guard)),
    db.delete(sessions).where(and(eq(sessions.userId, userId), patch.disabled === true ? targetWhere(userId, guard) : sql`0`)),
    ...endUnfinishedResets(db, userId, endsResets ? targetWhere(userId, guard) : sql`0`),
    db.update(users).set(next).where(and(eq(users.id, userId), guard)).returning({ id: users.id }),
    ...adminUserReads(db, userId),
  ]);
  const row = rows[0];
  if (!row) throw userNotFound();
  if (updated.length === 0) {
    assertMayActOn(auth.user, row.user); // promoted meanwhile: 403, as if it had been so on the read
    throw lastAdmin();
  }
  return toAdminUser(row, methods, policyFromRow(policyRows[0]), now);
}

function writeGuard(actor: SessionUser, userId: string, removesGlobalAdmin: boolean): SQL {
  return removesGlobalAdmin ? sql`${actorMayWrite(actor)} and ${keepsAGlobalAdmin(userId)}` : actorMayWrite(actor);
}

/**
 * DELETE /v1/admin/users/{id} (global admins). Sessions, methods, codes and resets go with the row
 * (foreign keys cascade); audit rows keep the id. The last enabled global admin cannot be deleted.
 */
export async function deleteUser(c: Context<AppEnv>, userId: string) {
  const db = c.get("db");
  const now = c.get("now");
  const { auth, results } = await authenticate(c, { roles: ["global_admin"] }, () => [adminUserReads(db, userId)[0]]);
  const target = results[0][0]?.user;
  if (!target) throw userNotFound();
  const guard = keepsAGlobalAdmin(userId);
  const audit = {
    type: "admin.user_deleted",
    at: now,
    actorId: auth.user.id,
    subjectId: userId,
    ip: c.get("ip"),
    outcome: "success" as const,
    detail: { username: target.username, displayName: target.displayName, roles: target.roles },
  };
  const [, deleted, remaining] = await db.batch([
    auditInsertIf(db, audit, targetWhere(userId, guard)),
    db.delete(users).where(and(eq(users.id, userId), guard)).returning({ id: users.id }),
    db.select({ id: users.id }).from(users).where(eq(users.id, userId)),
    // The sign-in lockout is kept by username, not id: an account created again under the name must not
    // start locked (or hard-locked) by the deleted one's failures.
    db.delete(signInLockouts).where(sql`${signInLockouts.username} = ${target.username} and not exists (select 1 from ${users} where ${users.username} = ${target.username})`),
  ]);
  if (deleted.length === 0) throw remaining.length === 0 ? userNotFound() : lastAdmin();
}
