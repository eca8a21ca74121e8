import type { Hook } from "@hono/zod-openapi";
import type { z } from "zod";
import type { ErrorDetail } from "../../shared/errors.js";
import type { AppEnv } from "./context.js";
import { invalidRequest } from "./errors.js";

const SAFE_KEY = /^[A-Za-z0-9_-]{1,64}$/;

/**
 * A message per issue kind, written here rather than taken from zod, because zod's messages can quote
 * the rejected input, and a rejected input may be a password.
 */
function describe(issue: z.core.$ZodIssue): string {
  switch (issue.code) {
    case "invalid_type":
      return issue.input === undefined ? "Required." : `Expected ${issue.expected}.`;
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

export function issuesToDetails(issues: readonly z.core.$ZodIssue[]): ErrorDetail[] {
  const details: ErrorDetail[] = [];
  for (const issue of issues) {
    if (issue.code === "unrecognized_keys") {
      for (const key of issue.keys) {
        const path = SAFE_KEY.test(key) ? [...issue.path, key] : issue.path;
        details.push({ path: pathOf(path), message: describe(issue) });
      }
      continue;
    }
    details.push({ path: pathOf(issue.path), message: describe(issue) });
  }
  return details.slice(0, 50);
}

/** Every route's validation failure becomes the contract's 400 `invalid_request`. */
export const validationHook: Hook<any, AppEnv, any, any> = (result) => {
  if (!result.success) throw invalidRequest(issuesToDetails(result.error.issues));
};
