import { OpenAPIHono } from "@hono/zod-openapi";
import type { z } from "zod";
import { errorBodySchema } from "../../../shared/api/common.js";
import type { AppEnv } from "../context.js";
import { validationHook } from "../validate.js";

/** A router whose validation failures all become the contract's 400. */
export const router = () => new OpenAPIHono<AppEnv>({ defaultHook: validationHook });

export const json = <S extends z.ZodType>(schema: S, description = "OK") => ({
  description,
  content: { "application/json": { schema } },
});

export const jsonBody = <S extends z.ZodType>(schema: S) => ({
  body: { required: true, content: { "application/json": { schema } } },
});

export const noContent = { description: "No content" } as const;

const ERROR_DESCRIPTIONS: Record<number, string> = {
  400: "Invalid request",
  401: "Unauthorized",
  403: "Forbidden",
  404: "Not found",
  409: "Conflict",
  410: "Gone",
  412: "Version conflict",
  413: "Payload too large",
  415: "Unsupported media type",
  422: "Rejected by policy",
  429: "Rate limited",
};

/** The error responses a route documents; all share the one error shape. */
export function errors(...statuses: number[]) {
  return Object.fromEntries(statuses.map((s) => [s, json(errorBodySchema, ERROR_DESCRIPTIONS[s] ?? "Error")]));
}

export const bearerSecurity = [{ bearer: [] }];
