import type { Method, User } from "../../../shared/api/users.js";
import type { Role } from "../../../shared/api/common.js";
import { iso, isoOrNull } from "../clock.js";
import type { recoveryMethods, users } from "../db/schema.js";
import type { Policy } from "../../../shared/policy/schema.js";
import { isExpired } from "../passwords/expiry.js";
import { directory } from "./directory.js";

export type UserRow = typeof users.$inferSelect;
export type MethodRow = typeof recoveryMethods.$inferSelect;

/** The contract's User: never the hash, history or registration bookkeeping; expiry as of `now`. */
type ShownUserRow = Pick<
  UserRow,
  "id" | "username" | "displayName" | "source" | "roles" | "groups" | "mustChangePassword" | "disabled" | "createdAt" | "passwordChangedAt" | "passwordExpiresAt" | "passwordNeverExpires" | "locale"
>;

export function toUser(row: ShownUserRow, policy: Policy, now: number): User {
  const expiresAt = directory.passwordExpiresAt(row, policy);
  return {
    id: row.id,
    username: row.username,
    displayName: row.displayName,
    source: row.source,
    roles: row.roles as Role[],
    groups: row.groups,
    mustChangePassword: row.mustChangePassword,
    disabled: row.disabled,
    createdAt: iso(row.createdAt),
    passwordChangedAt: isoOrNull(row.passwordChangedAt),
    passwordExpiresAt: isoOrNull(expiresAt),
    passwordNeverExpires: row.passwordNeverExpires,
    passwordExpired: isExpired(expiresAt, now),
    locale: row.locale,
  };
}

/** The contract's Method: the masked hint only, never the target or the secret. */
export function toMethod(row: Pick<MethodRow, "id" | "type" | "hint" | "status" | "createdAt" | "verifiedAt">): Method {
  return {
    id: row.id,
    type: row.type,
    hint: row.hint,
    status: row.status,
    createdAt: iso(row.createdAt),
    verifiedAt: isoOrNull(row.verifiedAt),
  };
}
