import { eq, sql } from "drizzle-orm";
import type { SyncPageRequest, SyncPageResponse } from "../../../../shared/directory/protocol.js";
import { normaliseUsername } from "../../../../shared/username.js";
import type { Db } from "../../context.js";
import { runBatch } from "../../db/batch.js";
import { isUniqueViolation } from "../../db/constraint.js";
import { directoryAgents, directorySyncs, users } from "../../db/schema.js";
import { ApiError } from "../../errors.js";
import type { Policy } from "../../../../shared/policy/schema.js";
import { currentPolicyQuery, policyFromRow } from "../../policy/store.js";
import type { AgentRow } from "../agent/authenticate-agent.js";
import type { KnownUser } from "./plan.js";
import { planPage } from "./plan.js";
import {
  claimNames,
  deleteSeededMethods,
  finishSync,
  insertSeededMethods,
  insertUsers,
  jsonChunks,
  markSeen,
  openSync,
  SUPERSEDED,
  shutOut,
  supersedeOpenSyncs,
  waitForOtherAgents,
  storedExternalIds,
  takePage,
  updateUsers,
} from "./statements.js";

const outOfOrder = (message: string) => new ApiError(409, "conflict", message);
const anotherAgentsSync = () => outOfOrder("Another agent's sync of this directory is under way: this agent syncs at its next interval.");

/**
 * POST /v1/agent/sync: applies one page of a full sync. Two round trips: one reads the sync and the
 * users the page names (by stable id and by username); one batch (one D1 transaction) takes the page
 * and writes everything, so a page is applied whole or not at all and the agent may send it again
 * after any failure. The last page closes the sync (see finishSync).
 */
export async function applySyncPage(db: Db, agent: AgentRow, page: SyncPageRequest, now: number): Promise<SyncPageResponse> {
  const externalIds = page.users.map((u) => u.externalId);
  const usernames = page.users.map((u) => normaliseUsername(u.username));
  const directoryThreshold = page.directoryLockout?.threshold ?? null;
  const [syncRows, known, ...policyRows] = await db.batch([
    db.select().from(directorySyncs).where(eq(directorySyncs.id, page.syncId)).limit(1),
    db
      .select({ id: users.id, username: users.username, source: users.source, externalId: users.externalId, syncId: users.syncId, directoryContact: users.directoryContact })
      .from(users)
      .where(
        sql`${users.externalId} in (select value from json_each(${JSON.stringify(externalIds)})) or ${users.username} in (select value from json_each(${JSON.stringify(usernames)}))`,
      ),
    // Only page 0 reports the directory's lockout, and only then is OpenSSPR's own threshold needed.
    ...(directoryThreshold !== null ? [currentPolicyQuery(db)] : []),
  ]);
  assertNextPage(syncRows[0], agent, page);

  const plan = planPage(page.users, known as KnownUser[], page.syncId);
  const policyRow = (policyRows[0] as Parameters<typeof policyFromRow>[0][] | undefined)?.[0];
  const lockoutNote = directoryThreshold === null ? null : lockoutWarning(directoryThreshold, policyFromRow(policyRow));
  const errors = [...page.errors, ...(page.warnings ?? []), ...(lockoutNote ? [lockoutNote] : []), ...plan.skipped, ...plan.notes];
  const syncOpts = { syncId: page.syncId, agentId: agent.id, groups: page.groups, errors, incomplete: page.errors.length > 0 };
  // Users the directory disables lose their sessions.
  const shut = plan.updates.filter((u) => u.disabled === 1).map((u) => u.id);
  const statements = [
    ...(page.page === 0
      ? [openSync(db, { ...syncOpts, now, readStartedAt: page.readStartedAt }), waitForOtherAgents(db, page.syncId, agent.id, now), supersedeOpenSyncs(db, page.syncId, agent.id, now)]
      : [takePage(db, { ...syncOpts, page: page.page })]),
    db.update(directoryAgents).set({ lastSeenAt: now }).where(eq(directoryAgents.id, agent.id)),
    ...(plan.claims.length > 0 ? [claimNames(db, page.syncId, plan.claims)] : []),
    ...(shut.length > 0 ? shutOut(db, sql`(select value from json_each(${JSON.stringify(shut)}))`) : []),
    ...jsonChunks(plan.updates).map((chunk) => updateUsers(db, chunk, page.syncId)),
    ...jsonChunks(plan.inserts).map((chunk) => insertUsers(db, chunk, page.syncId, now)),
    ...(plan.replacedMethods.length > 0 ? [deleteSeededMethods(db, plan.replacedMethods)] : []),
    ...(plan.seededMethods.length > 0 ? [insertSeededMethods(db, plan.seededMethods, page.syncId, now)] : []),
    ...(page.seen?.length ? [markSeen(db, page.seen, page.syncId)] : []),
    ...(page.last ? finishSync(db, page.syncId, now) : []),
    storedExternalIds(db, externalIds, page.syncId),
  ];
  let results: unknown[];
  try {
    results = await runBatch(db, statements);
  } catch (e) {
    throw refusal(e, page.page);
  }
  const stored = new Set((results[results.length - 1] as { externalId: string }[]).map((r) => r.externalId));
  const placed = new Set([...plan.updates, ...plan.inserts].map((u) => u.externalId));
  // A new entry whose name was taken between the read and the write: skipped, and the next sync retries it.
  const lostRace = page.users.filter((u) => placed.has(u.externalId) && !stored.has(u.externalId)).map((u) => `${u.username} (${u.dn}): the username was taken meanwhile; the next sync tries again.`);
  return { accepted: stored.size, skipped: [...plan.skipped, ...lostRace] };
}

/**
 * Every sign-in OpenSSPR lets through for a directory user is a bind the directory counts toward its
 * own lockout: with a threshold at or below OpenSSPR's, anyone who knows a username could lock that
 * account in the directory (and with it Windows sign-in, VPN, mail) through OpenSSPR. Said where the
 * admin looks after the directory: the sync's errors, in GET /v1/admin/directory.
 */
export function lockoutWarning(directoryThreshold: number, policy: Policy): string | null {
  const ours = policy.lockout.signInThreshold;
  if (ours < directoryThreshold) return null;
  return `The directory locks an account after ${directoryThreshold} failed sign-ins, and OpenSSPR checks up to ${ours} before its own lock: anyone who knows a username can lock that account in the directory through OpenSSPR. Set the policy's lockout.signInThreshold below ${directoryThreshold}.`;
}

/** The precise 409 on the read; `takePage` enforces the same inside the write, against races. */
function assertNextPage(sync: typeof directorySyncs.$inferSelect | undefined, agent: AgentRow, page: SyncPageRequest) {
  if (page.page === 0) {
    if (sync) throw outOfOrder("This sync has already started: start a new sync with a new syncId.");
    return;
  }
  if (!sync || sync.agentId !== agent.id) throw outOfOrder("No such sync for this agent: start with page 0.");
  if (sync.finishedAt !== null) throw outOfOrder("This sync is finished: start a new sync with a new syncId.");
  if (sync.nextPage === SUPERSEDED) throw outOfOrder("A newer sync has started, so this one stopped: its remaining pages are not applied.");
  if (sync.nextPage !== page.page) throw outOfOrder(`Pages go in order: page ${sync.nextPage} is expected next, not ${page.page}.`);
}

/** A failed batch changed nothing: tell the agent whether sending the page again can help. */
function refusal(e: unknown, pageNumber: number): unknown {
  const text = e instanceof Error ? `${e.message} ${String((e as { cause?: unknown }).cause ?? "")}` : String(e);
  // On page 0 only waitForOtherAgents sets next_page to NULL: another agent opened a sync meanwhile.
  if (pageNumber === 0 && /NOT NULL constraint failed: directory_syncs\.next_page/.test(text)) return anotherAgentsSync();
  if (/NOT NULL constraint failed: directory_syncs\.next_page|directory_syncs\.id/.test(text)) {
    return outOfOrder("This page was already applied, or another copy of it was being applied at the same time.");
  }
  if (isUniqueViolation(e)) return outOfOrder("A username changed while this page was applied. Nothing was stored; send the page again.");
  return e;
}
