import { searchFold } from "../../../shared/username.js";
import type { SQL } from "drizzle-orm";
import { and, asc, gt, sql } from "drizzle-orm";
import type { Context } from "hono";
import type { z } from "zod";
import type { listUsersQuerySchema } from "../../../shared/api/admin.js";
import type { AppEnv } from "../context.js";
import { users } from "../db/schema.js";
import { currentPolicyQuery, policyFromRow } from "../policy/store.js";
import { authenticate } from "../sessions/authenticate.js";
import { ADMIN_ROLES } from "./access.js";
import { decodeCursor, encodeCursor } from "./cursor.js";
import { methodsByUser, methodsOfUsers, toAdminUser, userWithLockout } from "./views.js";

type ListQuery = z.infer<typeof listUsersQuerySchema>;

/**
 * `q` matches a substring of the username or of the display name, both stored folded (NFKC, Unicode
 * lower case) so any case typed matches; instr() rather than LIKE so `%` and `_` in `q` are plain characters.
 */
function filters(query: ListQuery): SQL[] {
  const where: SQL[] = [];
  if (query.q) {
    const q = searchFold(query.q);
    where.push(sql`(instr(${users.username}, ${q}) > 0 or instr(${users.displayNameFolded}, ${q}) > 0)`);
  }
  if (query.group !== undefined) where.push(sql`exists (select 1 from json_each(${users.groups}) where value = ${query.group})`);
  if (query.role !== undefined) where.push(sql`exists (select 1 from json_each(${users.roles}) where value = ${query.role})`);
  return where;
}

/**
 * GET /v1/admin/users: ordered by username (unique, so it is a stable keyset); the cursor is the last
 * username of the page. One batch: auth, the page (one row more than asked, to know if another page
 * follows), the methods of exactly those users, and the policy for their registration status.
 */
export async function listUsers(c: Context<AppEnv>, query: ListQuery) {
  const db = c.get("db");
  const now = c.get("now");
  const after = decodeCursor("users", query.cursor);
  const where = and(...filters(query), after === null ? undefined : gt(users.username, after));
  const pageIds = db.select({ id: users.id }).from(users).where(where).orderBy(asc(users.username)).limit(query.limit + 1);
  const { results } = await authenticate(c, { roles: ADMIN_ROLES }, () => [
    userWithLockout(db, where ?? sql`1`).orderBy(asc(users.username)).limit(query.limit + 1),
    methodsOfUsers(db, pageIds),
    currentPolicyQuery(db),
  ]);
  const [rows, methodRows, policyRows] = results;
  const policy = policyFromRow(policyRows[0]);
  const page = rows.slice(0, query.limit);
  const byUser = methodsByUser(methodRows);
  return {
    users: page.map((row) => toAdminUser(row, byUser.get(row.user.id) ?? [], policy, now)),
    nextCursor: rows.length > query.limit ? encodeCursor("users", page[page.length - 1]!.user.username) : null,
  };
}
