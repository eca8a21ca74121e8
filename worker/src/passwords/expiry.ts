import type { SQL } from "drizzle-orm";
import { sql } from "drizzle-orm";
import type { Policy } from "../../../shared/policy/schema.js";

export const DAY_MS = 86_400_000;

/**
 * A native password's expiry under the policy (issue 15, Microsoft 365's expiration policy): its last
 * change plus `expiry.days`, unless the user's password never expires or the policy says never.
 * Computed when read, never stored, so a policy change applies to every user at once.
 */
export function nativeExpiresAt(user: { passwordChangedAt: number | null; passwordNeverExpires: boolean }, policy: Policy): number | null {
  const days = policy.passwordPolicy.expiry.days;
  if (days === null || user.passwordNeverExpires || user.passwordChangedAt === null) return null;
  return user.passwordChangedAt + days * DAY_MS;
}

/** The policy's `expiry.days` as SQL: null (never) when unset, as the default is. */
const expiryDaysSql = sql`json_extract((select settings from policies order by version desc limit 1), '$.passwordPolicy.expiry.days')`;

/** The same rule in SQL over the users row `u` and the stored policy (for the daily run). */
export const nativeExpiresAtSql: SQL = sql`(case when u.password_never_expires or u.password_changed_at is null then null
  else u.password_changed_at + ${expiryDaysSql} * ${DAY_MS} end)`;

export const isExpired = (expiresAt: number | null, now: number): expiresAt is number => expiresAt !== null && expiresAt <= now;

/** Not yet expired, but within `notifyDaysBefore` days of it: clients warn, reminders go out. */
export const inNoticeWindow = (expiresAt: number | null, policy: Policy, now: number): boolean =>
  expiresAt !== null && expiresAt > now && expiresAt - now <= policy.passwordPolicy.expiry.notifyDaysBefore * DAY_MS;
