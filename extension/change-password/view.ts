import type { PublicConfig } from "../../shared/api/config.js";

/** Why this user is here, when the page knows: the lead sentence says it in words. */
export type ChangeReason = "temporary" | "expired";

/**
 * What the change-password page shows. `account` is the signed-in user when the page was opened from
 * the sign-in prompt (the background holds that session); null when opened from the popup, where the
 * user also types their username.
 */
export interface ChangePasswordView {
  config: PublicConfig;
  account: { username: string; displayName: string; reason: ChangeReason | null } | null;
}

export interface ChangePasswordRequest {
  /** Only without a session (the page opened from the popup). */
  username?: string;
  currentPassword: string;
  newPassword: string;
}
