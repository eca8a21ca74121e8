import { eq } from "drizzle-orm";
import type { Db } from "../../context.js";
import { sha256Hex } from "../../crypto/token-hash.js";
import { directoryAgents } from "../../db/schema.js";
import { ApiError } from "../../errors.js";
import { bearerToken } from "../../sessions/authenticate.js";

export type AgentRow = typeof directoryAgents.$inferSelect;

const agentUnauthorized = () => new ApiError(401, "unauthorized", "This agent is not enrolled, or it was removed. Enroll it again with a new token.");

/**
 * An agent's `Authorization: Bearer <credential>` (given once at enrollment, stored as SHA-256 only).
 * A deleted agent's row is gone, so its credential stops working at the next request.
 */
export async function authenticateAgent(db: Db, authorization: string | undefined): Promise<AgentRow> {
  const credential = bearerToken(authorization);
  if (!credential) throw agentUnauthorized();
  const [row] = await db.select().from(directoryAgents).where(eq(directoryAgents.credentialHash, await sha256Hex(credential))).limit(1);
  if (!row) throw agentUnauthorized();
  return row;
}
