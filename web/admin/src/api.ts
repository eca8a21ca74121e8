import type { ErrorBody, ErrorCode, ErrorDetail } from "../../../shared/errors.js";

/** A failed call: the contract's error code and sentence, and the seconds to wait when the server said. */
export class ApiFailure extends Error {
  constructor(
    readonly status: number,
    readonly code: ErrorCode | "network",
    message: string,
    readonly details: ErrorDetail[] = [],
    readonly retryAfter: number | null = null,
  ) {
    super(message);
  }
}

/** Called when the server no longer accepts the session (expired, revoked): the console signs out. */
let onUnauthorized: () => void = () => {};
export function whenUnauthorized(handler: () => void): void {
  onUnauthorized = handler;
}

export interface CallOptions {
  token?: string;
  body?: unknown;
  signal?: AbortSignal;
  headers?: Record<string, string>;
}

/** The worker's API on this origin (same API as every client; no private endpoints). */
export async function call<T>(method: string, path: string, o: CallOptions = {}): Promise<T> {
  const headers: Record<string, string> = { ...o.headers };
  if (o.body !== undefined) headers["Content-Type"] = "application/json";
  if (o.token) headers.Authorization = `Bearer ${o.token}`;
  let res: Response;
  try {
    res = await fetch(path, { method, headers, body: o.body === undefined ? undefined : JSON.stringify(o.body), signal: o.signal ?? null });
  } catch (e) {
    if (e instanceof DOMException && e.name === "AbortError") throw e;
    throw new ApiFailure(0, "network", "The server could not be reached. Check your connection and try again.");
  }
  const text = await res.text();
  if (res.ok) return (text ? JSON.parse(text) : null) as T;
  const body = (text ? safeJson(text) : null) as ErrorBody | null;
  const retry = Number(res.headers.get("Retry-After"));
  const failure = new ApiFailure(
    res.status,
    body?.error.code ?? "internal_error",
    body?.error.message ?? "Something went wrong on the server. Try again shortly.",
    body?.error.details ?? [],
    Number.isFinite(retry) && retry > 0 ? retry : null,
  );
  if (res.status === 401 && o.token) onUnauthorized();
  throw failure;
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}

export const isAbort = (e: unknown) => e instanceof DOMException && e.name === "AbortError";
