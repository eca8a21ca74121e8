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

/** CORS headers only for allowed origins; any other origin gets none, so browsers withhold the response. */
export const cors = createMiddleware<AppEnv>((c, next) =>
  honoCors({
    origin: (origin) => (isAllowedOrigin(origin, c.env) ? origin : null),
    allowMethods: ["GET", "POST", "PUT", "PATCH", "DELETE"],
    allowHeaders: ["Content-Type", "Authorization", "If-Match"],
    exposeHeaders: ["Retry-After", "ETag", "Server-Timing"],
    maxAge: 600,
  })(c, next),
);
