import { cors as honoCors } from "hono/cors";
import { createMiddleware } from "hono/factory";
import type { AppEnv } from "../context.js";
import { isDevelopment } from "../context.js";

const LOCAL_ORIGIN = /^http:\/\/(?:127\.0\.0\.1|localhost)(?::\d{1,5})?$/;

/** Whether a browser origin may read responses: the configured list, plus loopback pages in development. */
export function isAllowedOrigin(origin: string, env: Env): boolean {
  const allowed = (env.ALLOWED_ORIGINS ?? "")
    .split(",")
    .map((o) => o.trim())
    .filter(Boolean);
  return allowed.includes(origin) || (isDevelopment(env) && LOCAL_ORIGIN.test(origin));
}

const allowedCors = honoCors({
  origin: (origin) => origin,
  allowMethods: ["GET", "POST", "PUT", "PATCH", "DELETE"],
  allowHeaders: ["Content-Type", "Authorization", "If-Match"],
  exposeHeaders: ["Retry-After", "ETag", "Server-Timing"],
  maxAge: 600,
});

/**
 * CORS headers only for allowed origins (Hono's CORS middleware, preflights answered 204). A request from
 * any other origin, or with no `Origin`, gets no `Access-Control-*` header at all and is routed as if there
 * were no CORS support (so a disallowed preflight is an ordinary OPTIONS: 405 on a known path, 404
 * elsewhere). Every answer carries `Vary: Origin`, since its CORS headers depend on the origin.
 */
export const cors = createMiddleware<AppEnv>(async (c, next) => {
  const origin = c.req.header("origin");
  if (origin && isAllowedOrigin(origin, c.env)) return allowedCors(c, next);
  await next();
  c.header("Vary", "Origin", { append: true });
});
