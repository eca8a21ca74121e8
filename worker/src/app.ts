import { OpenAPIHono } from "@hono/zod-openapi";
import type { Context } from "hono";
import { HTTPException } from "hono/http-exception";
import type { ErrorBody } from "../../shared/errors.js";
import type { AppEnv } from "./context.js";
import { isDevelopment } from "./context.js";
import { ApiError } from "./errors.js";
import { localiseErrorBody } from "./i18n/localise-error.js";
import { bodyGuard } from "./middleware/body-guard.js";
import { cors } from "./middleware/cors.js";
import { requestContext } from "./middleware/request-context.js";
import { httpsOnly } from "./middleware/https-only.js";
import { securityHeaders } from "./middleware/security-headers.js";
import { adminAuditRoutes } from "./routes/admin-audit.js";
import { agentSyncRoutes } from "./routes/agent-sync.js";
import { adminDirectoryRoutes } from "./routes/admin-directory.js";
import { adminPolicyRoutes } from "./routes/admin-policy.js";
import { adminReportRoutes } from "./routes/admin-reports.js";
import { adminUserActionRoutes } from "./routes/admin-user-actions.js";
import { adminUserRoutes } from "./routes/admin-users.js";
import { agentRoutes } from "./routes/agent.js";
import { demoRoutes } from "./routes/demo.js";
import { devRoutes } from "./routes/dev.js";
import { publicRoutes } from "./routes/health.js";
import { meRoutes } from "./routes/me.js";
import { meMethodRoutes } from "./routes/me-methods.js";
import { meSecurityQuestionRoutes } from "./routes/me-security-questions.js";
import { resetRoutes } from "./routes/resets.js";
import { sessionRoutes } from "./routes/sessions.js";
import { setupRoutes } from "./routes/setup.js";
import { methodNotAllowed } from "./routes/method-not-allowed.js";
import { openApiDocument } from "./routes/openapi.js";
import { pageRoutes } from "./routes/pages.js";
import { rejectInput, validationHook } from "./validate.js";

const errorBody = (e: ApiError): ErrorBody => ({
  error: { code: e.code, message: e.message, ...(e.details ? { details: e.details } : {}) },
});

/** The error's words in the request's language (issue 18); codes, paths and statuses stay as they are. */
function localised(c: Context<AppEnv>, body: ErrorBody): ErrorBody {
  c.header("Vary", "Accept-Language", { append: true });
  return localiseErrorBody(body, c.get("locale") ?? "en");
}

/** Statuses Hono's own exceptions can carry, mapped to the contract's codes. */
function fromHttpException(e: HTTPException): ApiError {
  if (e.status === 413) return new ApiError(413, "payload_too_large", "The body is larger than 64 KiB.");
  if (e.status === 415) return new ApiError(415, "unsupported_media_type", "Send the body as application/json.");
  if (e.status === 401) return new ApiError(401, "unauthorized", "Sign in again: the token is missing, invalid or expired.");
  return new ApiError(400, "invalid_request", "The request is not valid.");
}

/**
 * A body the route's validator could not read (e.g. JSON declared but empty) is bad input like any
 * other: the caller's session and role are checked first (401/403 before 400), as validate.ts does.
 */
async function fromHttpExceptionAfterCaller(err: HTTPException, c: Context<AppEnv>): Promise<ApiError> {
  const mapped = fromHttpException(err);
  if (mapped.status !== 400) return mapped;
  return rejectInput(c).catch((e: unknown) => (e instanceof ApiError ? e : mapped));
}

export function createApp() {
  const app = new OpenAPIHono<AppEnv>({ defaultHook: validationHook });
  app.use("*", securityHeaders, requestContext, httpsOnly, cors, bodyGuard);

  app.route("/", publicRoutes);
  app.route("/", setupRoutes);
  app.route("/", sessionRoutes);
  app.route("/", meRoutes);
  app.route("/", meMethodRoutes);
  app.route("/", meSecurityQuestionRoutes);
  app.route("/", resetRoutes);
  app.route("/", adminPolicyRoutes);
  app.route("/", adminUserRoutes);
  app.route("/", adminUserActionRoutes);
  app.route("/", adminAuditRoutes);
  app.route("/", adminReportRoutes);
  app.route("/", agentSyncRoutes);
  app.route("/", adminDirectoryRoutes);
  app.route("/", agentRoutes);
  app.route("/", devRoutes);
  app.route("/", demoRoutes);
  app.route("/", pageRoutes);

  app.openAPIRegistry.registerComponent("securitySchemes", "bearer", { type: "http", scheme: "bearer" });
  // Not `doc31`: outside development the document leaves out the development-only routes (they 404 there).
  app.get("/v1/openapi.json", (c) => c.json(openApiDocument(app, isDevelopment(c.env))));

  app.notFound((c) => methodNotAllowed(app.routes, c.req.method, c.req.path) ?? c.json(errorBody(new ApiError(404, "not_found", "Nothing is here.")), 404));

  app.onError(async (err, c) => {
    const e = err instanceof ApiError ? err : err instanceof HTTPException ? await fromHttpExceptionAfterCaller(err, c) : null;
    if (!e) {
      console.error("unhandled error", err instanceof Error ? err.stack : String(err));
      return c.json(localised(c, errorBody(new ApiError(500, "internal_error", "Something went wrong on our side. Try again shortly."))), 500);
    }
    for (const [name, value] of Object.entries(e.headers ?? {})) c.header(name, value);
    return c.json(localised(c, errorBody(e)), e.status);
  });
  return app;
}
