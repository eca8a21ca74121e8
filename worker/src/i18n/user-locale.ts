import { and, eq, isNull } from "drizzle-orm";
import type { Locale } from "../../../shared/locale.js";
import type { Policy } from "../../../shared/policy/schema.js";
import type { Db } from "../context.js";
import { users } from "../db/schema.js";

/** Issue 18: a user's emails and SMS speak the user's `locale`, else the organisation's `defaultLocale`. */
export const userLocale = (user: { locale: Locale | null }, policy: Pick<Policy, "defaultLocale">): Locale => user.locale ?? policy.defaultLocale;

/**
 * The browser's language becomes the user's when they first register a method (issue 18): an admin's
 * choice, or an earlier one, is kept. One conditional UPDATE, for the registration's write batch.
 */
export function rememberLocale(db: Db, userId: string, requestLocale: Locale | null) {
  return requestLocale ? [db.update(users).set({ locale: requestLocale }).where(and(eq(users.id, userId), isNull(users.locale)))] : [];
}
