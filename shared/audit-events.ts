/**
 * Audit event types (spec §8). Reports count these, so a type is a stable name; what differs between
 * events of one type goes into `detail`.
 */
export const AUDIT_EVENT_TYPES = [
  "setup.completed",
  "session.created",
  "session.failed",
  "session.locked",
  "session.ended",
  /** The password proved again on a session (reauth); outcome failure: a wrong password. */
  "session.reauthenticated",
  "policy.updated",
  "method.added",
  "method.verified",
  "method.verify_failed",
  "method.removed",
  "method.delivery_failed",
  "registration.confirmed",
  "registration.skipped",
  /** detail: { beforeExpiry?: true } (changed inside its notice window, before it expired) */
  "password.changed",
  /** The daily run found the password past its expiry (once per password). detail: { expiresAt } */
  "password.expired",
  /** The daily run reminded the user. detail: { daysBefore, expiresAt, notified } */
  "password.expiry_reminder_sent",
  /** detail: { available: boolean, reason?: "unknown_user"|"disabled"|"not_enabled"|"not_registered" } */
  "reset.started",
  /** detail: { methodType } */
  "reset.challenge_sent",
  /** detail: { methodType, reason: "invalid_code"|"code_expired"|"invalid_answers" } */
  "reset.verify_failed",
  /** detail: { methodType } */
  "reset.verified",
  /** detail: { resetId, notified, beforeExpiry?: true } */
  "reset.completed",
  /** A verified reset of purpose "unlock" cleared the sign-in lockout. detail: { resetId, notified } */
  "reset.unlocked",
  /** detail: { reason: "verify_failures" } */
  "reset.blocked",
  "reset.notification_sent",
  "admin.user_created",
  "admin.user_updated",
  "admin.user_deleted",
  "admin.users_imported",
  "admin.password_set",
  "admin.methods_cleared",
  "admin.unlocked",
  /** detail: { agentId, name } */
  "directory.agent_created",
  /** An agent traded its enrollment token for a credential (no actor). detail: { agentId, name, version } */
  "directory.agent_enrolled",
  /** detail: { agentId } */
  "directory.agent_deleted",
  /** outcome failure: no agent took the job. detail: { reason? } */
  "directory.sync_requested",
] as const;

export type AuditEventType = (typeof AUDIT_EVENT_TYPES)[number];
