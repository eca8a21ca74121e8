import { z } from "zod";
import { roleSchema } from "../api/common.js";

/**
 * The worker ⇄ agent protocol (spec directory.md). The agent connects outbound: enrollment and sync
 * pages are HTTPS requests it makes with its credential; jobs reach it at once over one WebSocket
 * (`GET /v1/agent/connect`) that a Durable Object holds with hibernation. Passwords in jobs are
 * encrypted to the agent's RSA-OAEP key (`sealedSecret`), so neither the worker's logs nor the Durable
 * Object ever hold one in clear.
 */

export const AGENT_PROTOCOL_VERSION = 1;

/** Ping text the Durable Object answers without waking (setWebSocketAutoResponse). */
export const AGENT_PING = "ping";
export const AGENT_PONG = "pong";

/**
 * Close codes the worker sends on the agent's WebSocket. `replaced`: a newer connection with the same
 * credential took over (another instance, or this one reconnecting). `removed`: an admin deleted the
 * agent; its credential no longer works, so reconnecting is pointless until it is enrolled again.
 */
export const AGENT_CLOSE = { replaced: 4000, removed: 4001 } as const;

/** An RSA-OAEP (SHA-256, 3072-bit) public key as a JWK: what the worker encrypts passwords to. */
export const agentPublicKeySchema = z.object({
  kty: z.literal("RSA"),
  n: z.string().min(300).max(1024),
  e: z.string().min(1).max(16),
  alg: z.literal("RSA-OAEP-256").optional(),
  ext: z.boolean().optional(),
  key_ops: z.array(z.string()).optional(),
});
export type AgentPublicKey = z.infer<typeof agentPublicKeySchema>;

/** POST /v1/agent/enroll (no session: the one-time enrollment token is the credential). */
export const enrollRequestSchema = z.strictObject({
  enrollmentToken: z.string().min(1).max(200),
  publicKey: agentPublicKeySchema,
  version: z.string().min(1).max(40),
});
export type EnrollRequest = z.infer<typeof enrollRequestSchema>;
export const enrollResponseSchema = z.object({ agentId: z.string(), credential: z.string() });
export type EnrollResponse = z.infer<typeof enrollResponseSchema>;

/**
 * The plaintext inside a `sealedSecret`: the job id is sealed with the password, so a ciphertext
 * replayed into another job is refused by the agent.
 */
export const sealedPayloadSchema = z.object({ jobId: z.string(), password: z.string() });
export type SealedPayload = z.infer<typeof sealedPayloadSchema>;

/** Where the directory keeps the user: the agent finds the entry by its stable id, then its DN. */
export const userRefSchema = z.object({ externalId: z.string().min(1).max(200), dn: z.string().min(1).max(2000) });
export type UserRef = z.infer<typeof userRefSchema>;

/**
 * A password sealed to the agent's key: JWE compact serialization (RFC 7516) with `alg` RSA-OAEP-256
 * and `enc` A256GCM, whose plaintext is the JSON `sealedPayloadSchema`. Hybrid, because a password of
 * up to 1024 characters does not fit in one RSA-OAEP block; sized for that worst case.
 */
const sealed = z.string().min(1).max(12_000);

export const jobSchema = z.discriminatedUnion("kind", [
  /** Sign-in and re-authentication: bind as the user. */
  z.object({ kind: z.literal("bind"), user: userRefSchema, sealedSecret: sealed }),
  /**
   * `reset` (self-service reset after verification) and `admin` (an admin's temporary password,
   * `mustChange`): an administrative set. `change`: the user's own change with `sealedCurrent`, which
   * the directory checks (and its history rules with it).
   */
  z.object({
    kind: z.literal("set_password"),
    user: userRefSchema,
    mode: z.enum(["reset", "admin", "change"]),
    sealedSecret: sealed,
    sealedCurrent: sealed.optional(),
    mustChange: z.boolean(),
  }),
  /** Clear a lock the directory set after failed binds (never an administrator's lock). */
  z.object({ kind: z.literal("unlock"), user: userRefSchema }),
  /** Start a full sync now (the agent answers at once, then posts its pages). */
  z.object({ kind: z.literal("sync") }),
]);
export type Job = z.infer<typeof jobSchema>;

/**
 * Why the directory said no, in the terms the worker maps to the contract:
 * - `invalid_credentials`: a bind with a wrong password (AD 52e, OpenLDAP 49);
 * - `locked`, `disabled`, `expired`, `must_change`: a bind with the right password that the directory
 *   still refuses (AD 775, 533, 532, 773; OpenLDAP ppolicy state read from the entry);
 * - `policy`: a password the directory's own rules refuse (AD 0000052D, ppolicy quality/history);
 *   `message` says which rule, in plain words for the user;
 * - `wrong_current`: `change` with a wrong current password;
 * - `not_found`: no such entry any more;
 * - `error`: anything else (the message is for the admin's log, never shown to users).
 */
export const JOB_FAILURES = ["invalid_credentials", "locked", "disabled", "expired", "must_change", "policy", "wrong_current", "not_found", "error"] as const;
export type JobFailure = (typeof JOB_FAILURES)[number];

export const jobResultSchema = z.discriminatedUnion("ok", [
  z.object({ ok: z.literal(true) }),
  z.object({ ok: z.literal(false), reason: z.enum(JOB_FAILURES), message: z.string().max(1000) }),
]);
export type JobResult = z.infer<typeof jobResultSchema>;

/** Worker → agent over the WebSocket: a job. */
export const toAgentMessageSchema = z.object({ type: z.literal("job"), id: z.string().min(1).max(64), job: jobSchema });
export type ToAgentMessage = z.infer<typeof toAgentMessageSchema>;

/**
 * Worker → agent: the worker stopped waiting for job `id` (its timeout passed, and the caller was told
 * nothing changed). A password write not yet sent must not be sent: on a stalled connection the job
 * can arrive late, with this right behind it. An agent from before it ignores it.
 */
export const cancelMessageSchema = z.object({ type: z.literal("cancel"), id: z.string().min(1).max(64) });
export type CancelMessage = z.infer<typeof cancelMessageSchema>;

/** Agent → worker over the WebSocket. */
export const fromAgentMessageSchema = z.object({ type: z.literal("result"), id: z.string().min(1).max(64), result: jobResultSchema });
export type FromAgentMessage = z.infer<typeof fromAgentMessageSchema>;

const nullableText = (max: number) => z.string().max(max).nullable();
const epochMs = z.number().int().min(0).nullable();

/** One user as the directory has it, with the agent's config applied (attributes, role groups). */
export const directoryUserSchema = z.object({
  externalId: z.string().min(1).max(200),
  dn: z.string().min(1).max(2000),
  username: z.string().min(1).max(254),
  displayName: z.string().max(200),
  email: nullableText(254),
  alternateEmail: nullableText(254),
  mobile: nullableText(40),
  groups: z.array(z.string().min(1).max(100)).max(1000),
  roles: z.array(roleSchema).min(1).max(3),
  /** AD userAccountControl bit 2, an administrator's ppolicy lock, or the configured attribute. */
  disabled: z.boolean(),
  passwordChangedAt: epochMs,
  /** null: never (never-expires flag, or no maximum age in the domain). */
  passwordExpiresAt: epochMs,
  passwordNeverExpires: z.boolean(),
  /** AD pwdLastSet = 0, ppolicy pwdReset. */
  mustChangePassword: z.boolean(),
});
export type DirectoryUser = z.infer<typeof directoryUserSchema>;

export const SYNC_PAGE_MAX_USERS = 1000;

/**
 * POST /v1/agent/sync, one page at a time in order (page 0 first). `last` closes the sync: users of
 * earlier syncs not seen in this one are disabled, unless the sync reports errors (a half-read
 * directory must not disable everyone).
 */
export const syncPageRequestSchema = z.strictObject({
  syncId: z.string().min(8).max(64),
  page: z.number().int().min(0).max(100_000),
  last: z.boolean(),
  users: z.array(directoryUserSchema).max(SYNC_PAGE_MAX_USERS),
  /** Group names (cn) read in this page, each sent once per sync; counted for `lastSync.groups`. */
  groups: z.array(z.string().min(1).max(100)).max(SYNC_PAGE_MAX_USERS * 10),
  /** Read failures: the sync is then incomplete, and disables no one it did not see. */
  errors: z.array(z.string().max(1000)).max(100),
  /** What the admin should fix that did not keep any entry from being read (shown with the errors; the sync stays complete). */
  warnings: z.array(z.string().max(1000)).max(100).default([]),
  /** Stable ids of users read but not sent (a value OpenSSPR cannot store): their accounts are left as they are, not counted as gone. */
  seen: z.array(z.string().min(1).max(200)).max(SYNC_PAGE_MAX_USERS).default([]),
  /** Page 0: when the agent began reading the directory (ms since the epoch); what it read is no newer. */
  readStartedAt: z.number().int().min(0).optional(),
  /** Page 0: the directory's own lockout (AD lockoutThreshold, ppolicy pwdMaxFailure); null threshold: none. */
  directoryLockout: z.object({ threshold: z.number().int().min(1).max(1_000_000).nullable() }).optional(),
});
export type SyncPageRequest = z.input<typeof syncPageRequestSchema>;
export const syncPageResponseSchema = z.object({ accepted: z.number().int(), skipped: z.array(z.string()) });
export type SyncPageResponse = z.infer<typeof syncPageResponseSchema>;
