import type { ErrorCode, ErrorDetail } from "../../shared/errors.js";

/**
 * The one error type of the worker. `app.onError` turns it into the contract's error body; anything
 * else thrown becomes a 500 that says nothing about internals.
 */
export class ApiError extends Error {
  constructor(
    readonly status: 400 | 401 | 403 | 404 | 405 | 409 | 410 | 412 | 413 | 415 | 422 | 429 | 500 | 503,
    readonly code: ErrorCode,
    message: string,
    readonly details?: ErrorDetail[],
    readonly headers?: Record<string, string>,
  ) {
    super(message);
  }
}

export const invalidRequest = (details?: ErrorDetail[]) =>
  new ApiError(400, "invalid_request", "The request is not valid.", details);

export const unauthorized = () =>
  new ApiError(401, "unauthorized", "Sign in again: the token is missing, invalid or expired.");

export const forbidden = (message = "Your account may not do this.") => new ApiError(403, "forbidden", message);

export const notFound = (message = "Nothing is here.") => new ApiError(404, "not_found", message);

export const rateLimited = (retryAfterSeconds: number, message = "Too many attempts. Try again later.") =>
  new ApiError(429, "rate_limited", message, undefined, { "Retry-After": String(Math.max(1, Math.ceil(retryAfterSeconds))) });

/** The directory's agent is not connected, or gave no answer in time (directory.md): nothing was changed. */
export const directoryUnavailable = (message = "The organisation's directory cannot be reached right now. Try again in a few minutes.") =>
  new ApiError(503, "directory_unavailable", message);

/** Contract: Resets. Unlock is for resets started with purpose "unlock", while the policy's `allowUnlock` is on. */
export const unlockNotAllowed = () =>
  new ApiError(409, "unlock_not_allowed", "Unlocking without a password reset is not available here. Reset your password instead.");
