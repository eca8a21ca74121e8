import { createMiddleware } from "hono/factory";
import type { AppEnv } from "../context.js";
import { isDevelopment } from "../context.js";
import { ApiError } from "../errors.js";

const LOOPBACK = /^(localhost|127\.\d+\.\d+\.\d+|\[::1\])$/;

/**
 * Outside development, every request comes over https (loopback aside): the pages and the API carry
 * passwords, session and reset tokens. A read over plain http is sent to https (308), a page typed
 * without the scheme included; anything else is refused, since its body already crossed the network
 * in clear and answering it would hide a client's mistake. HSTS then keeps browsers on https, so a
 * network attacker cannot serve the first page over http. Cloudflare's "Always Use HTTPS" does the
 * same at the edge where a zone turns it on; this holds where it does not.
 */
export const httpsOnly = createMiddleware<AppEnv>(async (c, next) => {
  const url = new URL(c.req.url);
  if (isDevelopment(c.env) || LOOPBACK.test(url.hostname)) return next();
  if (url.protocol === "http:") {
    if (c.req.method !== "GET" && c.req.method !== "HEAD") throw new ApiError(400, "invalid_request", "Send requests over https.");
    url.protocol = "https:";
    return c.redirect(url.toString(), 308);
  }
  await next();
  c.res.headers.set("Strict-Transport-Security", "max-age=31536000; includeSubDomains");
});
