import type { AgentOutcome, ClearJob } from "./job-types.js";

/**
 * Placeholder until the agent channel lands (branch dir-channel): the same signature, and the answer
 * a worker with no connected agent gives.
 */
export async function runAgentJob(_env: Env, _job: ClearJob, _timeoutMs = 20_000): Promise<AgentOutcome> {
  return { ok: false, reason: "unavailable", message: "No directory agent is connected." };
}
