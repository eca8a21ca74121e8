import type { Policy } from "../../../shared/policy/schema.js";
import { directory } from "../directory/directory.js";
import type { UserRow } from "../directory/views.js";
import { inNoticeWindow } from "./expiry.js";

/**
 * The audit detail of a new password (self-service change or reset): `beforeExpiry` when the password
 * it replaces was inside its notice window, not yet expired. The reset report counts these as passwords
 * changed before expiry (admin/reports.ts), beside the expiries the daily run records.
 */
export const changedBeforeExpiry = (user: UserRow, policy: Policy, now: number): { beforeExpiry?: true } =>
  inNoticeWindow(directory.passwordExpiresAt(user, policy), policy, now) ? { beforeExpiry: true } : {};
