import type { RegistrationFilter } from "../../../shared/api/admin.js";
import { searchFold } from "../../../shared/username.js";
import type { SQL } from "drizzle-orm";
import { sql } from "drizzle-orm";
import { hasEnoughMethods } from "../resets/rules-sql.js";

/**
 * The ids of one page of GET /v1/admin/users, as a subquery, in an order that stays cheap in a
 * directory of 100,000 users (issue 13). The result is the contract's whatever the plan: users whose
 * folded username or display name contains `q` (a substring: api.md), in `group`, with `role` and
 * in the `registration` state, after the cursor, by username. What changes is which index drives:
 *   - `role`/`group`: user_labels, whose (kind, value, username) index yields the members already in
 *     page order, so a page reads about `limit` rows whether the group has 10 or 50,000 members;
 *   - `q`: the trigram index users_search when it holds few matches; when it holds many, the
 *     username order with instr(), which stops after a page (matches are dense, so a page is near).
 *     A `q` of 3 characters or more is a phrase of trigrams (it matches exactly the texts containing
 *     `q`); a shorter one is the range of trigrams that begin with it, which migration 0012's padding
 *     makes hold every text containing it (users_search_terms reads the range from the index);
 *   - nothing: the username order.
 * The username order reads the covering index users_search_walk, not the table.
 * Every branch repeats all the filters: a branch only chooses where to start reading.
 */
const TRIGRAM = 3;
/** The highest character: `q` followed by it up to 3 characters ends the range of trigrams that begin with `q`. */
const LAST_CHARACTER = "\u{10FFFF}";
/** Above this many trigram hits the username scan finds a page within about N / FEW_HITS × limit rows. */
const FEW_HITS = 1000;

export interface UserFilter {
  q?: string | undefined;
  group?: string | undefined;
  role?: string | undefined;
  registration?: RegistrationFilter | undefined;
  /** The last username of the previous page. */
  after: string | null;
  limit: number;
}

const hasLabel = (userId: SQL, kind: "role" | "group", value: string) =>
  sql`exists (select 1 from user_labels as x where x.user_id = ${userId} and x.kind = ${kind} and x.value = ${value})`;

const anyActive = sql`exists (select 1 from recovery_methods m where m.user_id = u.id and m.status = 'active')`;
/** AdminUser.registration's states over the users row `u`: hasEnoughMethods is registration/status.ts's rule in SQL. */
const REGISTRATION: Record<RegistrationFilter, SQL> = {
  registered: hasEnoughMethods,
  partial: sql`(${anyActive} and not ${hasEnoughMethods})`,
  unregistered: sql`not ${anyActive}`,
};

/** A phrase of trigrams: FTS5 quoting doubles `"`; nothing else in a phrase is syntax. */
const phrase = (q: string) => `"${q.replaceAll('"', '""')}"`;

/** The index keys (user_search_keys) of a superset of the users whose folded names contain `q`. */
const trigramKeys = (q: string) =>
  [...q].length >= TRIGRAM
    ? sql`select rowid as key from users_search where users_search match ${phrase(q)}`
    : sql`select doc as key from users_search_terms where term >= ${q} and term <= ${q + LAST_CHARACTER.repeat(TRIGRAM - [...q].length)}`;

export function pageIds(f: UserFilter): SQL {
  const q = f.q ? searchFold(f.q) : null;
  const textMatch = (u: SQL) => sql`(instr(${u}.username, ${q}) > 0 or instr(${u}.display_name_folded, ${q}) > 0)`;

  const registration = f.registration ? REGISTRATION[f.registration] : sql`1`;
  const label = f.role !== undefined ? { kind: "role" as const, value: f.role } : f.group !== undefined ? { kind: "group" as const, value: f.group } : null;
  if (label) {
    const other = label.kind === "role" && f.group !== undefined ? [hasLabel(sql`l.user_id`, "group", f.group)] : [];
    const where = [sql`l.kind = ${label.kind}`, sql`l.value = ${label.value}`, ...other, registration];
    if (f.after !== null) where.push(sql`l.username > ${f.after}`);
    if (q) where.push(textMatch(sql`u`));
    // CROSS JOIN keeps user_labels outside: the page order comes from its index.
    return sql`select l.user_id from user_labels as l cross join users as u on u.id = l.user_id
      where ${sql.join(where, sql` and `)} order by l.username limit ${f.limit}`;
  }

  const rest = f.after === null ? registration : sql`u.username > ${f.after} and ${registration}`;
  if (!q) return sql`select u.id from users as u where ${rest} order by u.username limit ${f.limit}`;
  // Both branches are complete queries; the hit count gives one of them LIMIT 0, which SQLite checks
  // before it reads anything (a guard in WHERE would still run the other branch's scan or match list).
  // DISTINCT: a short q's range lists a user once per occurrence.
  const hits = sql`(select count(*) from (select distinct key from (${trigramKeys(q)}) limit ${FEW_HITS}))`;
  const trigramIds = sql`(select k.user_id from user_search_keys as k where k.key in (${trigramKeys(q)}))`;
  return sql`select id from (select u.id from users as u where u.id in ${trigramIds} and ${textMatch(sql`u`)} and ${rest}
      order by u.username limit (case when ${hits} < ${FEW_HITS} then ${f.limit} else 0 end))
    union all
    select id from (select u.id from users as u where ${textMatch(sql`u`)} and ${rest}
      order by u.username limit (case when ${hits} >= ${FEW_HITS} then ${f.limit} else 0 end))`;
}
