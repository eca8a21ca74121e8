import type { z } from "zod";
import { errorBodySchema } from "../shared/api/common.js";
import type { ErrorDetail } from "../shared/errors.js";
import { t } from "./i18n.js";
import { fail, ok, type ApiResult } from "./result.js";

export { fail, ok, type ApiResult, type ClientError, type ClientErrorCode } from "./result.js";

export interface RequestOptions {
  method?: "GET" | "POST" | "PUT" | "DELETE";
  body?: unknown;
  token?: string;
}

/** A stuck request must end in an error the user can act on, not an endless spinner. */
const TIMEOUT_MS = 15_000;

/** Retry-After is seconds or an HTTP date (RFC 9110 §10.2.3); the worker sends seconds. */
export function parseRetryAfter(header: string | null, now = Date.now()): number | undefined {
  if (!header) return undefined;
  if (/^\d+$/.test(header.trim())) return Number(header.trim());
  const at = Date.parse(header);
  return Number.isNaN(at) ? undefined : Math.max(0, Math.ceil((at - now) / 1000));
}

async function readJson(res: Response): Promise<unknown> {
  try {
    return await res.json();
  } catch {
    return undefined;
  }
}

/**
 * One HTTP call to the worker, validated against the shared zod schema: the only place the extension
 * touches `fetch`, so every answer that reaches the UI is either contract-shaped or a ClientError.
 * Credentials are omitted: the reset token travels in the Authorization header only.
 */
export async function apiRequest<S extends z.ZodType>(
  baseUrl: string,
  path: string,
  schema: S,
  options: RequestOptions = {},
): Promise<ApiResult<z.infer<S>>> {
  // The language of the strings the user reads (issue 18): the worker answers questions and errors in it,
  // and a first registration makes it the language of the user's emails and SMS.
  const headers: Record<string, string> = { Accept: "application/json", "Accept-Language": t("htmlLang") };
  if (options.body !== undefined) headers["Content-Type"] = "application/json";
  if (options.token) headers.Authorization = `Bearer ${options.token}`;
  let res: Response;
  try {
    res = await fetch(`${baseUrl}${path}`, {
      method: options.method ?? "GET",
      headers,
      body: options.body === undefined ? undefined : JSON.stringify(options.body),
      credentials: "omit",
      cache: "no-store",
      // A 307/308 would make the browser send the same body (a password) to wherever it points.
      redirect: "error",
      signal: AbortSignal.timeout(TIMEOUT_MS),
    });
  } catch (e) {
    // A refused connection, DNS failure, timeout or a CORS refusal all look the same from here.
    return fail("network", e instanceof Error ? e.message : String(e));
  }
  const json = await readJson(res);
  if (!res.ok) {
    const parsed = errorBodySchema.safeParse(json);
    if (!parsed.success) return fail("bad_response", `HTTP ${res.status} without the contract's error body`);
    const { code, message, details } = parsed.data.error;
    const retryAfterSeconds = parseRetryAfter(res.headers.get("Retry-After"));
    return fail(code, message, {
      ...(details ? { details: details as ErrorDetail[] } : {}),
      ...(retryAfterSeconds !== undefined ? { retryAfterSeconds } : {}),
    });
  }
  const parsed = schema.safeParse(json);
  if (!parsed.success) return fail("bad_response", `HTTP ${res.status} body does not match the contract`);
  return ok(parsed.data);
}
