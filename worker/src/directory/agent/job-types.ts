import type { JobResult, UserRef } from "../../../../shared/directory/protocol.js";

/**
 * A job as a flow asks for it, with passwords in clear. `runAgentJob` (run-job.ts) seals them to the
 * chosen agent's key before anything leaves this isolate; this type never crosses a wire.
 */
export type ClearJob =
  | { kind: "bind"; user: UserRef; password: string }
  | { kind: "set_password"; user: UserRef; mode: "reset" | "admin"; password: string; mustChange: boolean }
  | { kind: "set_password"; user: UserRef; mode: "change"; password: string; currentPassword: string; mustChange: false }
  | { kind: "unlock"; user: UserRef }
  | { kind: "sync" };

/** The agent's answer, or `unavailable`: no agent connected, or none answered within the timeout (20 s). */
export type AgentOutcome = JobResult | { ok: false; reason: "unavailable"; message: string };
