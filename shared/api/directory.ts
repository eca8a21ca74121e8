import { z } from "zod";
import { nullableIsoTime } from "./common.js";

/** Contract directory.md "Admin API". */
export const agentSchema = z.object({
  id: z.string(),
  name: z.string(),
  connected: z.boolean(),
  lastSeenAt: nullableIsoTime,
  version: z.string().nullable(),
});
export type Agent = z.infer<typeof agentSchema>;

export const createAgentRequestSchema = z.strictObject({ name: z.string().trim().min(1).max(100) });
export const createAgentResponseSchema = z.object({ agent: agentSchema, enrollmentToken: z.string() });

export const lastSyncSchema = z.object({
  at: z.string(),
  users: z.number().int(),
  groups: z.number().int(),
  errors: z.array(z.string()),
});
export const directoryStatusSchema = z.object({ agents: z.array(agentSchema), lastSync: lastSyncSchema.nullable() });
export type DirectoryStatus = z.infer<typeof directoryStatusSchema>;

export const agentIdParam = z.strictObject({ id: z.string().min(1).max(64) });
