import { policyInputSchema, withAdminPolicy } from "../../../shared/policy/schema.js";
import type { Policy, PolicySettings } from "../../../shared/policy/schema.js";
import { auditInsert } from "../audit.js";
import type { Db } from "../context.js";
import { isUniqueViolation } from "../db/constraint.js";
import { ApiError, invalidRequest } from "../errors.js";
import { iso } from "../clock.js";
import { isCallingCode } from "../methods/phone.js";
import { currentPolicyQuery, insertPolicyVersion, policyFromRow, settingsOf } from "../policy/store.js";
import { questionStatusUpdate } from "../registration/question-status.js";
import { issuesToDetails } from "../validate.js";

const versionConflict = () =>
  new ApiError(412, "version_conflict", "The policy changed since you read it. Reload it and apply your change again.");

/** `If-Match: "7"` (an ETag-style quoted version; a bare number is accepted too). */
export function parseIfMatch(header: string | undefined): number | null | "invalid" {
  // `*` (RFC 9110: any current version) asks for no particular version: like no If-Match.
  if (header === undefined || header.trim() === "*") return null;
  const match = /^\s*(?:W\/)?"?(\d{1,9})"?\s*$/.exec(header);
  return match ? Number(match[1]) : "invalid";
}

/** JSON merge patch (RFC 7396) without deletion: objects merge, arrays and scalars (and null) replace. */
export function mergePatch(target: unknown, patch: unknown): unknown {
  if (!patch || typeof patch !== "object" || Array.isArray(patch)) return patch;
  const base = target && typeof target === "object" && !Array.isArray(target) ? { ...(target as object) } : {};
  for (const [key, value] of Object.entries(patch)) {
    (base as Record<string, unknown>)[key] = mergePatch((base as Record<string, unknown>)[key], value);
  }
  return base;
}

export interface PolicyUpdate {
  db: Db;
  now: number;
  ip: string | null;
  actorId: string;
  current: Policy;
  ifMatch: string | undefined;
  /** Computes the new settings from the current ones (PUT ignores them; PATCH merges into them). */
  change: (current: PolicySettings) => unknown;
}

/** How many times a write without `If-Match` re-reads and re-applies after losing the version to a concurrent writer. */
export const POLICY_WRITE_RETRIES = 5;

const tooContended = () =>
  new ApiError(409, "conflict", "The policy is being changed by others right now. Try your change again shortly.");

/** A short, jittered pause before a retry, so writers that collided do not collide again in lockstep. */
const backoff = (attempt: number) => new Promise((resolve) => setTimeout(resolve, Math.random() * 5 * attempt));

/**
 * Validates the resulting settings as a whole (cross-field rules included), then stores them as the next
 * version with the audit row (old and new) and the security questions' status (question-status.ts) in the
 * same batch. A concurrent writer makes the version's
 * primary key collide, and nothing is written. With `If-Match` the writer asked for optimistic locking:
 * 412. Without it, the change is re-applied to the newly current policy (re-read, so PATCH merges into
 * what the other writer stored and the audit row names the version actually replaced), up to
 * `POLICY_WRITE_RETRIES` times, then 409 `conflict`. Uncontended, this costs one round trip (the write).
 */
export async function updatePolicy(u: PolicyUpdate): Promise<Policy> {
  const expected = parseIfMatch(u.ifMatch);
  if (expected === "invalid") throw invalidRequest([{ path: "If-Match", message: 'Use the policy version in quotes, e.g. "3".' }]);
  if (expected !== null && expected !== u.current.version) throw versionConflict();
  let current = u.current;
  for (let attempt = 0; ; attempt++) {
    const written = await writeNextVersion(u, current);
    if (written) return written;
    if (expected !== null) throw versionConflict();
    if (attempt >= POLICY_WRITE_RETRIES) throw tooContended();
    await backoff(attempt + 1);
    const [row] = await currentPolicyQuery(u.db);
    current = policyFromRow(row);
  }
}

/** Stores `change(current)` as version `current.version + 1`; null when a concurrent writer took that version. */
async function writeNextVersion(u: PolicyUpdate, current: Policy): Promise<Policy | null> {
  const before = settingsOf(current);
  const changed = u.change(before);
  const parsed = policyInputSchema.safeParse(changed);
  if (!parsed.success) throw invalidRequest(issuesToDetails(parsed.error.issues, changed));
  const notCallingCodes = parsed.data.methods.smsCountries.flatMap((code, i) => (isCallingCode(code) ? [] : [{ path: `methods.smsCountries.${i}`, message: "Not a country calling code." }]));
  if (notCallingCodes.length) throw invalidRequest(notCallingCodes);
  const version = current.version + 1;
  try {
    await u.db.batch([
      insertPolicyVersion(u.db, parsed.data, version, u.now, u.actorId),
      questionStatusUpdate(u.db, parsed.data),
      auditInsert(u.db, {
        type: "policy.updated",
        at: u.now,
        actorId: u.actorId,
        ip: u.ip,
        outcome: "success",
        detail: { fromVersion: current.version, toVersion: version, old: before, new: parsed.data },
      }),
    ]);
  } catch (error) {
    if (isUniqueViolation(error)) return null;
    throw error;
  }
  return withAdminPolicy(parsed.data, version, iso(u.now));
}
