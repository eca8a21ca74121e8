import type { Job } from "../../../../shared/directory/protocol.js";
import { newId } from "../../crypto/random.js";
import { unavailable } from "./directory-hub.js";
import { directoryHub } from "./hub.js";
import type { AgentOutcome, ClearJob } from "./job-types.js";
import { importAgentKey, sealForAgent } from "./seal-for-agent.js";

/** The job as it goes on the wire: every password sealed to the agent's key with this job's id inside. */
async function sealJob(key: CryptoKey, jobId: string, job: ClearJob): Promise<Job> {
  const seal = (password: string) => sealForAgent(key, { jobId, password });
  switch (job.kind) {
    case "bind":
      return { kind: "bind", user: job.user, sealedSecret: await seal(job.password) };
    case "set_password":
      return {
        kind: "set_password",
        user: job.user,
        mode: job.mode,
        sealedSecret: await seal(job.password),
        ...(job.mode === "change" ? { sealedCurrent: await seal(job.currentPassword) } : {}),
        mustChange: job.mustChange,
      };
    case "unlock":
    case "sync":
      return job;
  }
}

/**
 * Runs one job on the connected agent and returns its answer; `unavailable` at once when no agent is
 * connected, or when none answers within `timeoutMs` or its socket closes first. Passwords are sealed
 * here, so only ciphertext reaches the hub and the wire; nothing about the job is logged.
 */
export async function runAgentJob(env: Env, job: ClearJob, timeoutMs = 20_000): Promise<AgentOutcome> {
  const hub = directoryHub(env);
  try {
    const agent = await hub.chooseAgent();
    if (!agent) return unavailable("No directory agent is connected.");
    const id = newId("job");
    const wire = await sealJob(await importAgentKey(agent.publicKey), id, job);
    return await hub.dispatch(agent.agentId, { type: "job", id, job: wire }, timeoutMs);
  } catch {
    // The hub was reset mid-call or the stored key no longer imports: either way no agent can take the job.
    return unavailable("The directory agent could not be reached.");
  }
}
