import { and, eq, gt, sql } from "drizzle-orm";
import type { EnrollRequest, EnrollResponse } from "../../../../shared/directory/protocol.js";
import type { Db } from "../../context.js";
import { newToken } from "../../crypto/random.js";
import { sha256Hex } from "../../crypto/token-hash.js";
import { rawStatement } from "../../db/raw.js";
import { auditEvents, directoryAgents } from "../../db/schema.js";
import { ApiError, invalidRequest } from "../../errors.js";
import { importAgentKey, MIN_MODULUS_BITS } from "./seal-for-agent.js";

/** Validity of the token an admin is shown when creating an agent (directory.md). */
export const ENROLLMENT_TTL_MS = 60 * 60 * 1000;

const tokenRefused = () =>
  new ApiError(401, "unauthorized", "This enrollment token is unknown, already used or expired. Ask an admin to create the agent again for a new token.");

/**
 * POST /v1/agent/enroll: trades the one-time token for the agent's own credential. The token is spent
 * by one conditional UPDATE, so of two enrollments racing with one token exactly one matches a row.
 */
export async function enrollAgent(db: Db, at: number, ip: string | null, body: EnrollRequest): Promise<EnrollResponse> {
  try {
    await importAgentKey(body.publicKey);
  } catch {
    throw invalidRequest([{ path: "publicKey", message: `Not a usable RSA-OAEP public key of at least ${MIN_MODULUS_BITS} bits.` }]);
  }
  const credential = newToken();
  const credentialHash = await sha256Hex(credential);
  const tokenHash = await sha256Hex(body.enrollmentToken);
  const spend = db
    .update(directoryAgents)
    .set({
      enrollmentTokenHash: null,
      enrollmentExpiresAt: null,
      credentialHash,
      publicKey: JSON.stringify(body.publicKey),
      version: body.version,
      enrolledAt: at,
    })
    .where(and(eq(directoryAgents.enrollmentTokenHash, tokenHash), gt(directoryAgents.enrollmentExpiresAt, at)))
    .returning({ id: directoryAgents.id });
  // The audit row names the agent the UPDATE just matched, so it goes into the same batch.
  const audit = rawStatement(
    db,
    sql`insert into ${auditEvents} (at, type, actor_id, subject_id, ip, outcome, detail)
      select ${at}, 'directory.agent_enrolled', null, null, ${ip}, 'success', json_object('agentId', id, 'name', name, 'version', version)
      from ${directoryAgents} where ${directoryAgents.credentialHash} = ${credentialHash}`,
  );
  const [spent] = await db.batch([spend, audit]);
  const agent = spent[0];
  if (!agent) throw tokenRefused();
  return { agentId: agent.id, credential };
}
