import { inArray, sql } from "drizzle-orm";
import type { Context } from "hono";
import type { z } from "zod";
import type { listUsersQuerySchema } from "../../../shared/api/admin.js";
import type { AppEnv } from "../context.js";
import { users } from "../db/schema.js";
import { authenticate } from "../sessions/authenticate.js";
import { checkInput } from "../validate.js";
import { ADMIN_ROLES } from "./access.js";
import { decodeCursor, encodeCursor } from "./cursor.js";
import { pageIds } from "./user-search.js";
import { parseMethods, toAdminUser, usersWithLockoutAndMethods } from "./views.js";

type ListQuery = z.infer<typeof listUsersQuerySchema>;

/**
 * GET /v1/admin/users: ordered by username (unique, so it is a stable keyset); the cursor is the last
 * username of the page (user-search.ts picks the index). One batch: auth, the page (one row more than asked, to know if another page
 * follows) with each user's methods; authenticate's batch read the policy for their registration status.
 */
export async function listUsers(c: Context<AppEnv>, query: ListQuery) {
  const db = c.get("db");
  const now = c.get("now");
  const after = await checkInput(c, () => decodeCursor("users", query.cursor));
  // Parenthesised: drizzle's inArray inlines a raw subquery as it is.
  const ids = sql`(${pageIds({ q: query.q, group: query.group, role: query.role, registration: query.registration, after, limit: query.limit + 1 })})`;
  const where = inArray(users.id, ids);
  const { auth, results } = await authenticate(c, { roles: ADMIN_ROLES }, () => [
    // `+`: sort the page's few rows; ordering by the username index would walk every user to find them.
    usersWithLockoutAndMethods(db, where).orderBy(sql`+${users.username}`),
  ]);
  const [rows] = results;
  const policy = auth.policy;
  const page = rows.slice(0, query.limit);
  return {
    users: page.map((row) => toAdminUser(row, parseMethods(row.methods), policy, now)),
    nextCursor: rows.length > query.limit ? encodeCursor("users", page[page.length - 1]!.user.username) : null,
  };
}
