import type { ErrorCode, ErrorDetail } from "../shared/errors.js";

/**
 * The result shape every background answer has. Kept apart from api-client.ts (which pulls in zod)
 * so the sign-in content script can share the message types without carrying the schemas.
 */

/** The contract's codes plus what only a client can see: the worker unreachable, an answer that breaks the contract, no worker configured. */
export type ClientErrorCode = ErrorCode | "network" | "bad_response" | "not_configured" | "invalid_url" | "extension_error";

export interface ClientError {
  code: ClientErrorCode;
  /** The worker's sentence, for logs; the UI shows its own translated text per code. */
  message: string;
  details?: ErrorDetail[];
  /** From Retry-After on 429s: how long to tell the user to wait. */
  retryAfterSeconds?: number;
}

export type ApiResult<T> = { ok: true; value: T } | { ok: false; error: ClientError };

export const ok = <T>(value: T): ApiResult<T> => ({ ok: true, value });
export const fail = (code: ClientErrorCode, message: string = code, extra: Partial<ClientError> = {}): ApiResult<never> => ({
  ok: false,
  error: { code, message, ...extra },
});
