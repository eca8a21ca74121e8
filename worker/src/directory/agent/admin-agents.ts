import { desc, eq, isNotNull, sql } from "drizzle-orm";
import type { Context } from "hono";
import type { Agent, DirectoryStatus } from "../../../../shared/api/directory.js";
import { iso, isoOrNull } from "../../clock.js";
import type { AppEnv } from "../../context.js";
import { auditInsert, auditInsertIf } from "../../audit.js";
import { ADMIN_ROLES } from "../../admin/access.js";
import { newId, newToken } from "../../crypto/random.js";
import { sha256Hex } from "../../crypto/token-hash.js";
import { directoryAgents, directorySyncs } from "../../db/schema.js";
import { directoryUnavailable, notFound } from "../../errors.js";
import { authenticate } from "../../sessions/authenticate.js";
import type { AgentRow } from "./authenticate-agent.js";
import { ENROLLMENT_TTL_MS } from "./enroll.js";
import { directoryHub } from "./hub.js";
import { runAgentJob } from "./run-job.js";

/** `connected`: agent id → its last sign of life on the hub, for the agents connected now. */
const toAgent = (row: AgentRow, connected: ReadonlyMap<string, number>): Agent => {
  const live = connected.get(row.id);
  return {
    id: row.id,
    name: row.name,
    connected: live !== undefined,
    lastSeenAt: isoOrNull(Math.max(row.lastSeenAt ?? 0, live ?? 0) || null),
    version: row.version,
  };
};

function auditEntry(c: Context<AppEnv>, actorId: string, type: string, detail: Record<string, unknown>, outcome: "success" | "failure" = "success") {
  return { type, at: c.get("now"), actorId, subjectId: null, ip: c.get("ip"), outcome, detail };
}

/** POST /v1/admin/directory/agents: a new agent and its one-time enrollment token (stored as SHA-256 only). */
export async function createAgent(c: Context<AppEnv>, name: string) {
  const { auth } = await authenticate(c, { roles: ["global_admin"] });
  const db = c.get("db");
  const now = c.get("now");
  const enrollmentToken = newToken();
  const row: AgentRow = {
    id: newId("agt"),
    name,
    enrollmentTokenHash: await sha256Hex(enrollmentToken),
    enrollmentExpiresAt: now + ENROLLMENT_TTL_MS,
    credentialHash: null,
    publicKey: null,
    version: null,
    createdAt: now,
    enrolledAt: null,
    lastSeenAt: null,
  };
  await db.batch([db.insert(directoryAgents).values(row), auditInsert(db, auditEntry(c, auth.user.id, "directory.agent_created", { agentId: row.id, name }))]);
  return { agent: toAgent(row, new Map()), enrollmentToken };
}

/** GET /v1/admin/directory: the agents (connected ones according to the hub) and the last finished sync. */
export async function directoryStatus(c: Context<AppEnv>): Promise<DirectoryStatus> {
  const db = c.get("db");
  const { results } = await authenticate(c, { roles: ADMIN_ROLES }, () => [
    db.select().from(directoryAgents).orderBy(directoryAgents.createdAt, directoryAgents.id),
    db.select().from(directorySyncs).where(isNotNull(directorySyncs.finishedAt)).orderBy(desc(directorySyncs.finishedAt)).limit(1),
  ]);
  const [agents, syncs] = results;
  const last = syncs[0];
  // Asked only once the caller is known to be an admin: strangers do not get to wake the hub.
  const connected = new Map((await directoryHub(c.env).connectedAgents()).map((a) => [a.agentId, a.lastSeenAt]));
  return {
    agents: agents.map((row) => toAgent(row, connected)),
    lastSync: last ? { at: iso(last.finishedAt!), users: last.users, groups: last.groupCount, errors: last.errors } : null,
  };
}

/** POST /v1/admin/directory/sync: answered once the agent accepted the job (it then posts its pages). */
export async function requestSync(c: Context<AppEnv>): Promise<void> {
  const { auth } = await authenticate(c, { roles: ["global_admin"] });
  const db = c.get("db");
  const outcome = await runAgentJob(c.env, { kind: "sync" });
  const detail = outcome.ok ? {} : { reason: outcome.reason };
  await auditInsert(db, auditEntry(c, auth.user.id, "directory.sync_requested", detail, outcome.ok ? "success" : "failure"));
  if (!outcome.ok) {
    throw directoryUnavailable(
      outcome.reason === "unavailable"
        ? "No directory agent is connected, or it did not answer. Check that the agent is running."
        : "The directory agent could not start a sync. Its log says why.",
    );
  }
}

/**
 * DELETE /v1/admin/directory/agents/{id}: the row (and so its credential) goes, then its sockets close.
 * The hub is asked to close them even when the row is already gone: if that call failed the first time
 * (the hub restarting), a removed agent would still be sent jobs, and the admin's retry must finish it.
 */
export async function deleteAgent(c: Context<AppEnv>, agentId: string): Promise<void> {
  const { auth } = await authenticate(c, { roles: ["global_admin"] });
  const db = c.get("db");
  const exists = sql`exists (select 1 from ${directoryAgents} where ${directoryAgents.id} = ${agentId})`;
  const [, deleted] = await db.batch([
    auditInsertIf(db, auditEntry(c, auth.user.id, "directory.agent_deleted", { agentId }), exists),
    db.delete(directoryAgents).where(eq(directoryAgents.id, agentId)).returning({ id: directoryAgents.id }),
  ]);
  try {
    await directoryHub(c.env).disconnect(agentId);
  } catch {
    throw deleted.length > 0 ? directoryUnavailable("The agent was removed, but its open connection could not be closed yet. Send the same request again to close it.") : directoryUnavailable();
  }
  if (deleted.length === 0) throw notFound("No directory agent has that id.");
}
