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
  503: "Directory unavailable",
};

/** The error responses a route documents; all share the one error shape. */
export function errors(...statuses: number[]) {
  return Object.fromEntries(statuses.map((s) => [s, json(errorBodySchema, ERROR_DESCRIPTIONS[s] ?? "Error")]));
}

export const bearerSecurity = [{ bearer: [] }];

const DOCUMENT_CONFIG: Parameters<OpenAPIHono["getOpenAPI31Document"]>[0] = {
  openapi: "3.1.0",
  info: { title: "OpenSSPR API", version: "1.0.0", description: "Self-service password reset. Errors: {error: {code, message, details?}}." },
};

/** Paths that exist only in development (contract: 404 otherwise), so the production document leaves them out. */
const DEVELOPMENT_ONLY_PREFIXES = ["/v1/dev/", "/demo/"];

export const isDevelopmentOnlyPath = (path: string) => DEVELOPMENT_ONLY_PREFIXES.some((prefix) => path.startsWith(prefix));

/** The OpenAPI 3.1 document of `app`'s routes; outside development without the development-only paths. */
export function openApiDocument(app: OpenAPIHono<AppEnv>, development: boolean) {
  const document = app.getOpenAPI31Document(DOCUMENT_CONFIG);
  if (development || !document.paths) return document;
  return { ...document, paths: Object.fromEntries(Object.entries(document.paths).filter(([path]) => !isDevelopmentOnlyPath(path))) };
}
