import { negotiateLocale } from "../../../shared/locale.js";
import { drizzle } from "drizzle-orm/d1";
import { createMiddleware } from "hono/factory";
import { now } from "../clock.js";
import type { AppEnv } from "../context.js";
import { isDevelopment } from "../context.js";
import { countingD1 } from "../db/counting-d1.js";
import { reportDeploymentOnce } from "../health/deployment-checks.js";
import { RequestTiming } from "../timing.js";

/**
 * Gives each request its clock reading, its client IP, a counted D1 handle, and (in dev) Server-Timing;
 * an isolate's first request in production also logs what the deployment still lacks.
 */
export const requestContext = createMiddleware<AppEnv>(async (c, next) => {
  const timing = new RequestTiming();
  c.set("timing", timing);
  c.set("now", now());
  // Cloudflare sets this header at its edge and overwrites any the client sent.
  c.set("ip", c.req.header("cf-connecting-ip") ?? null);
  // The extension sends the language its own strings are in; a browser sends its preferences.
  c.set("locale", negotiateLocale(c.req.header("accept-language")));
  c.set("db", drizzle(countingD1(c.env.DB, timing)));
  // Its own handle, made only for the one request that runs the checks: their reads are not this request's round trips.
  reportDeploymentOnce(c.env, () => drizzle(c.env.DB), (p) => c.executionCtx.waitUntil(p));
  await next();
  if (isDevelopment(c.env)) c.res.headers.set("Server-Timing", timing.header());
});
