import type { SQL } from "drizzle-orm";
import { eq, sql } from "drizzle-orm";
import type { Db } from "../../context.js";
import { rawStatement } from "../../db/raw.js";
import { directoryAgents, directoryNameClaims, directorySyncs, recoveryMethods, resets, sessions, users, verificationCodes } from "../../db/schema.js";
import type { SeededMethod, UserRecord } from "./plan.js";

/*
 * The sync's writes. Rows travel as JSON parameters read with json_each, so a page of 1000 users is a
 * handful of statements in one batch (D1 allows 100 bound parameters per statement, not 1000 rows of
 * them). D1 caps a bound string at 2 MB, so each JSON parameter is cut to at most JSON_CHUNK_CHARS.
 */

const JSON_CHUNK_CHARS = 900_000;

/** `rows` as JSON arrays of at most JSON_CHUNK_CHARS characters each. */
export function jsonChunks(rows: readonly unknown[]): string[] {
  const chunks: string[] = [];
  let current: string[] = [];
  let size = 2;
  for (const row of rows) {
    const text = JSON.stringify(row);
    if (current.length > 0 && size + text.length + 1 > JSON_CHUNK_CHARS) {
      chunks.push(`[${current.join(",")}]`);
      current = [];
      size = 2;
    }
    current.push(text);
    size += text.length + 1;
  }
  if (current.length > 0) chunks.push(`[${current.join(",")}]`);
  return chunks;
}

const field = (name: string) => sql.raw(`json_extract(value, '$.${name}')`);
const idsIn = (ids: string[]) => sql`(select value from json_each(${JSON.stringify(ids)}))`;

/** Page 0 opens the sync; a second page 0 fails the batch on the primary key (a repeat). */
/** How far back an agent's own clock may date the start of its read (updateUsers relies on it). */
const READ_START_LEEWAY_MS = 60 * 60_000;

export const openSync = (db: Db, o: { syncId: string; agentId: string; now: number; readStartedAt?: number; groups: string[]; errors: string[]; incomplete: boolean }) =>
  db.insert(directorySyncs).values({
    id: o.syncId,
    agentId: o.agentId,
    // When the agent began reading: its values are no newer than that. Never later than now, and
    // within an hour before it, whatever the agent's clock says.
    startedAt: Math.min(o.now, Math.max(o.readStartedAt ?? o.now, o.now - READ_START_LEEWAY_MS)),
    nextPage: 1,
    groupCount: new Set(o.groups).size,
    errors: o.errors.slice(0, MAX_ERRORS),
    incomplete: o.incomplete,
  });

/** `next_page` of a sync a newer one replaced: no page matches it, so its remaining pages are refused. */
export const SUPERSEDED = -1;

/**
 * How long another agent's open sync keeps a new one from starting, counted from that agent's last
 * sign of life (its connection, or a page: each page updates directory_agents.last_seen_at). Past it,
 * or once that agent is deleted, the sync counts as abandoned.
 */
export const SYNC_HOLD_MS = 15 * 60_000;

const openSyncs = (syncId: string) => sql`${directorySyncs.finishedAt} is null and ${directorySyncs.nextPage} != ${SUPERSEDED} and ${directorySyncs.id} != ${syncId}`;
const agentAlive = (now: number) =>
  sql`exists (select 1 from ${directoryAgents} a where a.id = ${directorySyncs.agentId} and a.last_seen_at > ${now - SYNC_HOLD_MS})`;
/** Another agent's sync still open, whose agent is alive: two overlapping syncs would each count the users the other wrote as gone (finishSync). */
const heldByAnother = (syncId: string, agentId: string, now: number) => sql`${openSyncs(syncId)} and ${directorySyncs.agentId} != ${agentId} and ${agentAlive(now)}`;

/**
 * A new sync waits while another agent's is under way: asked in page 0's own batch right after
 * openSync, so two agents whose first pages cross cannot both open one. NULL in `next_page` fails the
 * batch on its NOT NULL constraint (sync-page.ts refusal: 409), so the later one opens nothing.
 */
export const waitForOtherAgents = (db: Db, syncId: string, agentId: string, now: number) =>
  rawStatement(
    db,
    sql`update ${directorySyncs} set next_page = case when exists (select 1 from ${directorySyncs} where ${heldByAnother(syncId, agentId, now)}) then null else next_page end where id = ${syncId}`,
  );

/**
 * A new sync stops the open ones left behind: this agent's own earlier sync (it restarted, or began
 * again), and any other agent's that is no longer held (see SYNC_HOLD_MS). Their remaining pages are
 * refused; the new sync reads the whole directory anyway.
 */
export const supersedeOpenSyncs = (db: Db, syncId: string, agentId: string, now: number) =>
  rawStatement(
    db,
    sql`update ${directorySyncs} set next_page = ${SUPERSEDED}, incomplete = 1 where ${openSyncs(syncId)} and (${directorySyncs.agentId} = ${agentId} or not ${agentAlive(now)})`,
  );

/** Errors kept per sync: enough to act on, bounded whatever the directory holds. */
const MAX_ERRORS = 1000;

/**
 * Takes page `page` of the sync. Unless it is the page expected next (and the sync is this agent's and
 * still open), `next_page` is set to NULL, which its NOT NULL constraint refuses: the whole batch
 * fails, so a repeated or skipped page changes nothing even when two copies race.
 */
export const takePage = (db: Db, o: { syncId: string; agentId: string; page: number; groups: string[]; errors: string[]; incomplete: boolean }) =>
  rawStatement(
    db,
    sql`update ${directorySyncs} set
      next_page = case when next_page = ${o.page} and finished_at is null and agent_id = ${o.agentId} then ${o.page + 1} else null end,
      group_count = group_count + ${new Set(o.groups).size},
      errors = (select json_group_array(value) from (select value from json_each(${directorySyncs.errors}) union all select value from json_each(${JSON.stringify(o.errors)}) limit ${MAX_ERRORS})),
      incomplete = incomplete or ${o.incomplete ? 1 : 0}
      where id = ${o.syncId}`,
  );

/**
 * Claims of this page on names held by users the sync has not read yet (plan.ts); the first claim per
 * name stands. One JSON parameter however many there are (D1 binds at most 100 per statement).
 */
export const claimNames = (db: Db, syncId: string, claims: { username: string; holderId: string }[]) =>
  rawStatement(
    db,
    sql`insert into ${directoryNameClaims} (sync_id, username, holder_id)
      select ${syncId}, ${field("username")}, ${field("holderId")} from json_each(${JSON.stringify(claims)}) where true on conflict do nothing`,
  );

/** Sessions and unfinished resets of users the directory no longer lets in (as an admin's disable does). */
export function shutOut(db: Db, who: SQL) {
  const unfinished = sql`${resets.userId} in ${who} and ${resets.status} != 'completed'`;
  return [
    rawStatement(db, sql`delete from ${sessions} where ${sessions.userId} in ${who}`),
    rawStatement(db, sql`delete from ${verificationCodes} where ${verificationCodes.flow} in (select ${resets.id} from ${resets} where ${unfinished})`),
    rawStatement(db, sql`delete from ${resets} where ${unfinished}`),
  ];
}

/**
 * Directory-owned columns of existing directory users, from one JSON chunk of records. The password's
 * dates and must-change flag are left alone for a user whose password OpenSSPR set after this sync
 * began: the agent read the directory before that, so its values are older than the ones recorded
 * with the set (an admin's temporary password would otherwise lose its must-change until next sync).
 */
export const updateUsers = (db: Db, chunk: string, syncId: string) => {
  const setSinceRead = sql`${users.passwordChangedAt} > (select started_at from ${directorySyncs} where id = ${syncId})`;
  const unlessSetSince = (column: SQL, value: SQL) => sql`case when ${setSinceRead} then ${column} else ${value} end`;
  return rawStatement(
    db,
    sql`update ${users} set
      username = ${field("username")}, display_name = ${field("displayName")}, display_name_folded = ${field("displayNameFolded")},
      email = ${field("email")}, roles = ${field("roles")}, groups = ${field("groups")}, disabled = ${field("disabled")},
      must_change_password = ${unlessSetSince(sql`must_change_password`, field("mustChange"))},
      password_changed_at = ${unlessSetSince(sql`password_changed_at`, field("changedAt"))},
      password_expires_at = ${unlessSetSince(sql`password_expires_at`, field("expiresAt"))},
      password_never_expires = ${field("neverExpires")}, directory_dn = ${field("dn")}, directory_contact = ${field("contact")}, sync_id = ${syncId}
      from json_each(${chunk}) where ${users.id} = ${field("id")} and ${users.source} = 'directory'`,
  );
};

/** New directory users (no password hash: the agent binds). A name taken meanwhile is skipped, not an error. */
export const insertUsers = (db: Db, chunk: string, syncId: string, now: number) =>
  rawStatement(
    db,
    sql`insert into ${users} (id, username, display_name, display_name_folded, email, roles, groups, disabled, must_change_password, password_hash,
        password_history, password_changed_at, created_at, source, external_id, directory_dn, sync_id, directory_contact, password_expires_at, password_never_expires)
      select ${field("id")}, ${field("username")}, ${field("displayName")}, ${field("displayNameFolded")}, ${field("email")}, ${field("roles")}, ${field("groups")},
        ${field("disabled")}, ${field("mustChange")}, null, '[]', ${field("changedAt")}, ${now}, 'directory', ${field("externalId")}, ${field("dn")}, ${syncId},
        ${field("contact")}, ${field("expiresAt")}, ${field("neverExpires")}
      from json_each(${chunk}) where true on conflict do nothing`,
  );

/** Drops the methods a sync seeded earlier from an attribute that has changed since. */
export const deleteSeededMethods = (db: Db, replaced: { userId: string; type: string }[]) =>
  rawStatement(
    db,
    sql`delete from ${recoveryMethods} where ${recoveryMethods.origin} = 'directory' and ${recoveryMethods.userId} in (select json_extract(value, '$.userId') from json_each(${JSON.stringify(replaced)}))
      and exists (select 1 from json_each(${JSON.stringify(replaced)}) where json_extract(value, '$.userId') = ${recoveryMethods.userId} and json_extract(value, '$.type') = ${recoveryMethods.type})`,
  );

/**
 * Seeds active methods from directory attributes, for users this sync stored, unless the user already
 * has that address or number as a method of their own.
 */
export const insertSeededMethods = (db: Db, methods: SeededMethod[], syncId: string, now: number) =>
  rawStatement(
    db,
    sql`insert into ${recoveryMethods} (id, user_id, type, status, target, hint, created_at, verified_at, origin)
      select ${field("id")}, ${field("userId")}, ${field("type")}, 'active', ${field("target")}, ${field("hint")}, ${now}, ${now}, 'directory'
      from json_each(${JSON.stringify(methods)})
      where exists (select 1 from ${users} where ${users.id} = ${field("userId")} and ${users.syncId} = ${syncId})
        and not exists (select 1 from ${recoveryMethods} m where m.user_id = ${field("userId")} and m.type = ${field("type")} and m.target = ${field("target")})`,
  );

/**
 * Users the agent read but could not send (a value OpenSSPR cannot store): still in the directory,
 * so this sync counts them as seen, and leaves everything else about them as it was.
 */
export const markSeen = (db: Db, externalIds: string[], syncId: string) =>
  rawStatement(db, sql`update ${users} set sync_id = ${syncId} where ${users.source} = 'directory' and ${users.externalId} in ${idsIn(externalIds)}`);

/** Which of the page's entries this sync now holds (an insert that lost a race for its name is missing). */
export const storedExternalIds = (db: Db, externalIds: string[], syncId: string) =>
  db
    .select({ externalId: users.externalId })
    .from(users)
    .where(sql`${users.syncId} = ${syncId} and ${users.externalId} in ${idsIn(externalIds)}`);

/** A complete sync (the agent read the whole directory) may disable the users it missed. */
const complete = (syncId: string) => sql`exists (select 1 from ${directorySyncs} where ${directorySyncs.id} = ${syncId} and ${directorySyncs.incomplete} = 0)`;

/**
 * The last page: users counted, the sync closed, and, if the agent reported no errors, the directory
 * users it did not see disabled, their sessions and unfinished resets ended.
 */
export function finishSync(db: Db, syncId: string, now: number) {
  const gone = sql`(select ${users.id} from ${users} where ${users.source} = 'directory' and ${users.syncId} is not ${syncId} and ${complete(syncId)})`;
  // Holders of a claimed name that the whole sync never read: gone from the directory (or renamed
  // into a skipped entry), so the name is theirs no longer. Renamed out of its way (and disabled with
  // the rest of the gone), the next sync gives the name to the entry that claimed it.
  const released = sql`(select ${directoryNameClaims.holderId} from ${directoryNameClaims} join ${users} on ${users.id} = ${directoryNameClaims.holderId}
    and ${users.username} = ${directoryNameClaims.username} where ${directoryNameClaims.syncId} = ${syncId})`;
  return [
    ...shutOut(db, gone),
    rawStatement(db, sql`update ${users} set username = username || ' (replaced, ' || id || ')' where id in ${released} and id in ${gone}`),
    db.delete(directoryNameClaims).where(eq(directoryNameClaims.syncId, syncId)),
    rawStatement(db, sql`update ${users} set disabled = 1 where ${users.source} = 'directory' and ${users.syncId} is not ${syncId} and ${users.disabled} = 0 and ${complete(syncId)}`),
    rawStatement(db, sql`update ${directorySyncs} set finished_at = ${now}, users = (select count(*) from ${users} where ${users.syncId} = ${syncId}) where id = ${syncId}`),
  ];
}
