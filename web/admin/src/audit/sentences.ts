import type { AuditEvent } from "../../../../shared/api/admin.js";
import type { AuditEventType } from "../../../../shared/audit-events.js";
import { plural, roleName, when } from "../format.js";

/** What a sentence needs beyond the event: names for ids, and how a reset was proved. */
export interface SentenceContext {
  /** A person's display name, or null when it is not known (not loaded, or the account is gone). */
  nameOf(id: string): string | null;
  /** The method types a reset was verified with, from its `reset.verified` events, when they were found. */
  methodsOf(resetId: string): readonly string[] | undefined;
}

interface Parts {
  e: AuditEvent;
  d: Record<string, unknown>;
  /** Who did it, e.g. "Ada Admin". */
  actor: string;
  /** Whom it was about, e.g. "Jane Doe". */
  subject: string;
  ctx: SentenceContext;
}

const str = (v: unknown): string | null => (typeof v === "string" && v !== "" ? v : null);
const num = (v: unknown): number | null => (typeof v === "number" && Number.isFinite(v) ? v : null);
const possessive = (name: string) => `${name}’s`;
const capitalise = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

/** "a, b and c". */
export function listOf(items: readonly string[]): string {
  if (items.length <= 1) return items.join("");
  return `${items.slice(0, -1).join(", ")} and ${items[items.length - 1]}`;
}

const METHOD_NOUNS: Record<string, string> = { email: "email address", sms: "phone number for text messages", totp: "authenticator app", security_questions: "security questions" };
const methodNoun = (type: unknown) => METHOD_NOUNS[String(type)] ?? "recovery method";

/** How a person proves themselves with a method, as in "with an email code". */
const PROOFS: Record<string, string> = { email: "an email code", sms: "an SMS code", totp: "an authenticator app code", security_questions: "security questions" };
const proofOf = (type: unknown) => PROOFS[String(type)] ?? "a recovery method";

const SHORT_METHODS: Record<string, string> = { email: "email", sms: "SMS", totp: "authenticator app", security_questions: "security questions" };

/** "With an email code and an SMS code" for a reset whose verifications were found; empty when not. */
function provedWith(p: Parts): string {
  const resetId = str(p.d.resetId);
  const methods = resetId ? p.ctx.methodsOf(resetId) : undefined;
  return methods && methods.length ? ` with ${listOf(methods.map(proofOf))}` : "";
}

function policySections(d: Record<string, unknown>): string[] {
  const before = (d.old ?? {}) as Record<string, unknown>;
  const after = (d.new ?? {}) as Record<string, unknown>;
  const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])].filter((k) => k !== "version" && JSON.stringify(before[k]) !== JSON.stringify(after[k]));
  return keys.map((k) => k.replace(/([a-z])([A-Z])/g, "$1 $2").toLowerCase());
}

function userChanges(p: Parts): string {
  const changes = (p.d.changes ?? {}) as Record<string, { new?: unknown }>;
  const parts: string[] = [];
  for (const [field, change] of Object.entries(changes)) {
    const value = change?.new;
    if (field === "disabled") parts.push(value ? `disabled ${p.subject}` : `enabled ${p.subject} again`);
    else if (field === "roles" && Array.isArray(value)) parts.push(`set ${possessive(p.subject)} roles to ${listOf(value.map((r) => roleName(r as never) ?? String(r)))}`);
    else if (field === "groups" && Array.isArray(value)) parts.push(value.length ? `set ${possessive(p.subject)} groups to ${listOf(value.map(String))}` : `removed ${p.subject} from every group`);
    else if (field === "displayName") parts.push(`renamed ${p.subject} to “${String(value)}”`);
    else if (field === "passwordNeverExpires") parts.push(value ? `set ${possessive(p.subject)} password never to expire` : `let ${possessive(p.subject)} password expire again`);
    else parts.push(`changed ${possessive(p.subject)} ${field}`);
  }
  return parts.length ? `${p.actor} ${listOf(parts)}` : `${p.actor} saved ${p.subject} without changes`;
}

const UNAVAILABLE: Record<string, (p: Parts) => string> = {
  unknown_user: () => "Someone asked to reset the password of a username that does not exist",
  disabled: (p) => `A password reset for ${p.subject} was not offered: the account is disabled`,
  not_enabled: (p) => `A password reset for ${p.subject} was not offered: self-service reset is off for them`,
  not_registered: (p) => `A password reset for ${p.subject} was not offered: they have not registered enough methods`,
};

const codeOf = (method: unknown) => [SHORT_METHODS[String(method)], "code"].filter(Boolean).join(" ");
const FAILURE_REASONS: Record<string, (method: unknown) => string> = {
  invalid_code: (m) => `entered a wrong ${codeOf(m)}`,
  code_expired: (m) => `entered an expired ${codeOf(m)}`,
  invalid_answers: () => "gave wrong answers to the security questions",
};

/**
 * One sentence per event type the worker writes (shared/audit-events.ts); a Record, so a new type
 * without a sentence does not compile, and the unit test checks the same at run time.
 */
export const SENTENCES: Record<AuditEventType, (p: Parts) => string> = {
  "setup.completed": (p) => `${p.actor} set up OpenSSPR and became its first global admin`,
  "session.created": (p) => (p.d.passwordExpired ? `${p.subject} signed in with an expired password and must replace it` : `${p.subject} signed in`),
  "session.failed": (p) => (p.d.knownUser ? `A sign-in as ${p.subject} failed: wrong password${p.d.directory ? " (checked by the directory)" : ""}` : "A sign-in with an unknown username failed"),
  "session.locked": (p) => {
    const until = str(p.d.lockedUntil);
    const who = p.e.subjectId ? p.subject : `the username “${str(p.d.username) ?? "?"}”`;
    return `Sign-in as ${who} was locked${until ? ` until ${when(until)}` : ""} after too many wrong passwords${p.d.hardLocked ? " (the longest lock)" : ""}`;
  },
  "session.ended": (p) => `${p.subject} signed out`,
  "session.reauthenticated": (p) => (p.e.outcome === "failure" ? `${p.subject} gave a wrong password when asked to confirm it` : `${p.subject} confirmed their password again`),
  "policy.updated": (p) => {
    const sections = policySections(p.d);
    const versions = num(p.d.fromVersion) !== null && num(p.d.toVersion) !== null ? ` (version ${p.d.fromVersion} → ${p.d.toVersion})` : "";
    return `${p.actor} changed the policy${sections.length ? `: ${listOf(sections)}` : ""}${versions}`;
  },
  "method.added": (p) => (p.d.replaced ? `${p.subject} replaced their ${methodNoun(p.d.methodType)}` : `${p.subject} added their ${methodNoun(p.d.methodType)}`),
  "method.verified": (p) => `${p.subject} confirmed their ${methodNoun(p.d.methodType)}`,
  "method.verify_failed": (p) => `${p.subject} entered a wrong code while confirming their ${methodNoun(p.d.methodType)}`,
  "method.removed": (p) => `${p.subject} removed their ${methodNoun(p.d.methodType)}`,
  "method.delivery_failed": (p) => {
    const channel = p.d.channel === "sms" ? "A text message" : "An email";
    const error = str(p.d.error);
    return `${channel} to ${p.subject} could not be delivered${error ? `: ${error}` : ""}`;
  },
  "registration.confirmed": (p) => `${p.subject} confirmed their recovery methods`,
  "registration.skipped": (p) => `${p.subject} put off registering recovery methods`,
  "password.changed": (p) =>
    p.e.outcome === "failure"
      ? `${p.subject} tried to change their password but gave a wrong current password`
      : `${p.subject} changed their password${p.d.directory ? " in the directory" : ""}${p.d.beforeExpiry ? " before it expired" : ""}`,
  "password.expired": (p) => `${possessive(p.subject)} password expired${str(p.d.expiresAt) ? ` on ${when(str(p.d.expiresAt))}` : ""}`,
  "password.expiry_reminder_sent": (p) => {
    const days = num(p.d.daysBefore);
    const inDays = days === null ? "soon" : `in ${plural(days, "day")}`;
    return num(p.d.notified) === 0 ? `${possessive(p.subject)} password expires ${inDays}, but there was nowhere to send a reminder` : `${p.subject} was reminded that their password expires ${inDays}`;
  },
  "reset.started": (p) => {
    const what = p.d.purpose === "unlock" ? "An account unlock" : "A password reset";
    if (p.d.refused === "reset_blocked") return `${what} for ${p.subject} was refused: resets are blocked after failed checks`;
    if (p.d.available === false) return (UNAVAILABLE[String(p.d.reason)] ?? ((x: Parts) => `A password reset for ${x.subject} was not offered`))(p);
    return `${what} was started for ${p.subject}`;
  },
  "reset.challenge_sent": (p) => (p.d.methodType === "security_questions" ? `${p.subject} was asked their security questions to reset their password` : `${capitalise(proofOf(p.d.methodType))} was sent to ${p.subject} to reset their password`),
  "reset.verify_failed": (p) => `${p.subject} ${(FAILURE_REASONS[String(p.d.reason)] ?? (() => "failed a check"))(p.d.methodType)} while resetting their password`,
  "reset.verified": (p) => `${p.subject} proved who they are with ${proofOf(p.d.methodType)}`,
  "reset.completed": (p) => `${p.subject} reset their password${provedWith(p)}${p.d.beforeExpiry ? " before it expired" : ""}`,
  "reset.unlocked": (p) => `${p.subject} unlocked their account${provedWith(p)}`,
  "reset.blocked": (p) => `Self-service reset was blocked for ${p.subject} after too many failed checks`,
  "reset.notification_sent": (p) => `${p.subject} was told that their password was reset`,
  "admin.user_created": (p) => {
    const username = str(p.d.username);
    return `${p.actor} created the account ${p.subject}${username && username !== p.subject ? ` (${username})` : ""}`;
  },
  "admin.user_updated": userChanges,
  "admin.user_deleted": (p) => {
    const name = str(p.d.displayName) ?? p.subject;
    const username = str(p.d.username);
    return `${p.actor} deleted the account of ${name}${username ? ` (${username})` : ""}`;
  },
  "admin.users_imported": (p) => {
    const rows = num(p.d.rows) ?? 0;
    return `${p.actor} imported ${plural(rows, "row")} from a file: ${num(p.d.created) ?? 0} created, ${num(p.d.failed) ?? 0} refused`;
  },
  "admin.password_set": (p) => (p.d.generated ? `${p.actor} gave ${p.subject} a temporary password` : `${p.actor} set a new password for ${p.subject}`),
  "admin.methods_cleared": (p) => {
    const types = Array.isArray(p.d.types) ? p.d.types.map((t) => SHORT_METHODS[String(t)] ?? String(t)) : [];
    return `${p.actor} cleared ${possessive(p.subject)} recovery methods${types.length ? ` (${listOf(types)})` : ""}`;
  },
  "admin.unlocked": (p) => `${p.actor} unlocked ${p.subject}`,
  "directory.agent_created": (p) => `${p.actor} added the directory agent “${str(p.d.name) ?? str(p.d.agentId) ?? "?"}”`,
  "directory.agent_enrolled": (p) => `The directory agent “${str(p.d.name) ?? str(p.d.agentId) ?? "?"}” enrolled${str(p.d.version) ? ` (version ${str(p.d.version)})` : ""}`,
  "directory.agent_deleted": (p) => `${p.actor} removed the directory agent ${str(p.d.agentId) ?? ""}`.trimEnd(),
  "directory.sync_requested": (p) =>
    p.e.outcome === "failure" ? `${p.actor} asked for a directory sync, but no agent took it${str(p.d.reason) ? ` (${str(p.d.reason)})` : ""}` : `${p.actor} asked the directory agent to sync`,
};

const isKnownType = (type: string): type is AuditEventType => Object.hasOwn(SENTENCES, type);

/** A person's name, or a description that still tells accounts apart when the name is not known. */
function personOf(id: string | null, ctx: SentenceContext, nobody: string): string {
  if (!id) return nobody;
  return ctx.nameOf(id) ?? `the account ${id}`;
}

/** The event as one sentence a person reads, ending with where it came from. */
export function describeEvent(e: AuditEvent, ctx: SentenceContext): string {
  const actor = personOf(e.actorId, ctx, "Someone");
  const subject = personOf(e.subjectId ?? e.actorId, ctx, "an unknown account");
  const parts: Parts = { e, d: e.detail, actor, subject, ctx };
  const text = isKnownType(e.type) ? SENTENCES[e.type](parts) : `${e.type} (${e.outcome}) by ${actor}${e.subjectId ? ` for ${subject}` : ""}`;
  return `${capitalise(text)}${e.ip ? ` from ${e.ip}` : ""}.`;
}

/** The event types in the order of the filter's list, with a short name each. */
export const TYPE_LABELS: Record<AuditEventType, string> = {
  "setup.completed": "Setup completed",
  "session.created": "Signed in",
  "session.failed": "Sign-in failed",
  "session.locked": "Sign-in locked",
  "session.ended": "Signed out",
  "session.reauthenticated": "Password confirmed again",
  "policy.updated": "Policy changed",
  "method.added": "Method added",
  "method.verified": "Method confirmed",
  "method.verify_failed": "Method confirmation failed",
  "method.removed": "Method removed",
  "method.delivery_failed": "Message not delivered",
  "registration.confirmed": "Registration confirmed",
  "registration.skipped": "Registration put off",
  "password.changed": "Password changed",
  "password.expired": "Password expired",
  "password.expiry_reminder_sent": "Expiry reminder",
  "reset.started": "Reset started",
  "reset.challenge_sent": "Reset code sent",
  "reset.verify_failed": "Reset check failed",
  "reset.verified": "Reset check passed",
  "reset.completed": "Password reset",
  "reset.unlocked": "Account unlocked by its user",
  "reset.blocked": "Reset blocked",
  "reset.notification_sent": "Reset notice sent",
  "admin.user_created": "User created",
  "admin.user_updated": "User changed",
  "admin.user_deleted": "User deleted",
  "admin.users_imported": "Users imported",
  "admin.password_set": "Password set by an admin",
  "admin.methods_cleared": "Methods cleared",
  "admin.unlocked": "Unlocked by an admin",
  "directory.agent_created": "Directory agent added",
  "directory.agent_enrolled": "Directory agent enrolled",
  "directory.agent_deleted": "Directory agent removed",
  "directory.sync_requested": "Directory sync asked",
};
