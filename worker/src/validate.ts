import type { Hook } from "@hono/zod-openapi";
import type { Context } from "hono";
import type { z } from "zod";
import type { ErrorDetail } from "../../shared/errors.js";
import type { AppEnv } from "./context.js";
import { ApiError, invalidRequest } from "./errors.js";
import { authenticate } from "./sessions/authenticate.js";

const SAFE_KEY = /^[A-Za-z0-9_-]{1,64}$/;

/**
 * A message per issue kind, written here rather than taken from zod, because zod's messages can quote
 * the rejected input, and a rejected input may be a password.
 */
function describe(issue: z.core.$ZodIssue, given: unknown): string {
  switch (issue.code) {
    case "invalid_type":
      return given === undefined ? "Required." : `Expected ${issue.expected}.`;
    case "too_small":
      return issue.origin === "string" ? `Must be at least ${issue.minimum} characters.` : `Must be at least ${issue.minimum}.`;
    case "too_big":
      return issue.origin === "string" ? `Must be at most ${issue.maximum} characters.` : `Must be at most ${issue.maximum}.`;
    case "invalid_format":
      return `Not a valid ${issue.format === "regex" ? "value" : issue.format}.`;
    case "invalid_value":
      return "Not one of the allowed values.";
    case "unrecognized_keys":
      return "Unknown field.";
    case "invalid_union":
      return "Does not match any allowed shape.";
    case "custom":
      // Custom issues carry messages written in this repository, never the input.
      return issue.message;
    default:
      return "Not valid.";
  }
}

function pathOf(path: PropertyKey[]): string {
  return path.map(String).join(".");
}

/** The value at `path` in the validated input (zod 4 issues do not carry it), to tell missing from wrong. */
function valueAt(input: unknown, path: readonly PropertyKey[]): unknown {
  let value = input;
  for (const key of path) {
    if (value === null || typeof value !== "object") return undefined;
    value = (value as Record<PropertyKey, unknown>)[key];
  }
  return value;
}

/** `input` is what was validated: with it a wrong type reads "Expected string." rather than "Required.". */
export function issuesToDetails(issues: readonly z.core.$ZodIssue[], input: unknown): ErrorDetail[] {
  const details: ErrorDetail[] = [];
  for (const issue of issues) {
    if (issue.code === "unrecognized_keys") {
      for (const key of issue.keys) {
        const path = SAFE_KEY.test(key) ? [...issue.path, key] : issue.path;
        details.push({ path: pathOf(path), message: describe(issue, undefined) });
      }
      continue;
    }
    details.push({ path: pathOf(issue.path), message: describe(issue, valueAt(input, issue.path)) });
  }
  return details.slice(0, 50);
}

/**
 * Every route's validation failure becomes the contract's 400 `invalid_request` — after the caller's
 * session is checked on routes that need one, so a bad body never hides a 401 or 403. This costs a
 * D1 round trip only on requests that fail anyway.
 */
export const validationHook: Hook<any, AppEnv, any, any> = async (result, c) => {
  if (result.success) return;
  // zod-validator hands the hook the raw input as `data` on failure too (its types omit it).
  await rejectInput(c, issuesToDetails(result.error.issues, (result as { data?: unknown }).data));
};

/** The 400 for bad input, once the route's caller has passed its session check (401/403 come first). */
export async function rejectInput(c: Context<AppEnv>, details?: ErrorDetail[]): Promise<never> {
  const access = c.get("access");
  if (access?.kind === "session") {
    await authenticate(c, access);
  }
  throw invalidRequest(details);
}

/**
 * A check of the route's input that its schema could not express (a cursor, a date range): its 400,
 * like the validator's, comes only after the caller's 401/403.
 */
export async function checkInput<T>(c: Context<AppEnv>, check: () => T): Promise<T> {
  try {
    return check();
  } catch (e) {
    if (e instanceof ApiError && e.status === 400) await rejectInput(c, e.details);
    throw e;
  }
}
