/** Stable error codes of the HTTP contract (spec/api.md). Clients branch on these, never on messages. */
export const ERROR_CODES = [
  "invalid_request",
  "unsupported_media_type",
  "payload_too_large",
  "unauthorized",
  "forbidden",
  "not_found",
  "method_not_allowed",
  "rate_limited",
  "reset_blocked",
  "invalid_credentials",
  "password_change_required",
  "reauth_required",
  "already_set_up",
  "password_policy",
  "method_not_allowed_by_policy",
  "invalid_code",
  "code_expired",
  "no_skips_left",
  "invalid_current_password",
  "reset_expired",
  "not_verified",
  "reset_completed",
  "version_conflict",
  "conflict",
  "last_admin",
  "managed_by_directory",
  "directory_unavailable",
  "unlock_not_allowed",
  "internal_error",
] as const;

export type ErrorCode = (typeof ERROR_CODES)[number];

export interface ErrorDetail {
  path?: string;
  message?: string;
  rule?: string;
  attemptsLeft?: number;
}

export interface ErrorBody {
  error: { code: ErrorCode; message: string; details?: ErrorDetail[] };
}
