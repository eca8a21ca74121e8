import { Hono } from "hono";
import type { Context } from "hono";
import type { AppEnv } from "../context.js";
import { notFound } from "../errors.js";
import { contentSecurityPolicy } from "../middleware/security-headers.js";

/**
 * The web pages (web/, built by scripts/build-web.ts into dist/web, bound as ASSETS): the admin console
 * at /admin, and the self-service pages /reset and /change-password for people without the extension
 * (one screen each, whatever the step: their state lives in the page). Every path under /admin that is not a built file is the single-page app's own route, so
 * it gets the app's index.html (a reload on /admin/users/x works). Served through the worker, not
 * straight from the asset store, so the pages get the same security headers as everything else.
 */
const APP_CSP = contentSecurityPolicy({ fromSelf: true });

async function fromAssets(c: Context<AppEnv>, path: string): Promise<Response> {
  const assets = c.env.ASSETS;
  if (!assets) throw notFound();
  const res = await assets.fetch(new URL(path, c.req.url), { method: c.req.method === "HEAD" ? "HEAD" : "GET" });
  if (res.status === 404) throw notFound();
  // A fresh Response: the asset store's headers are immutable.
  const out = new Response(res.body, res);
  if (out.headers.get("content-type")?.startsWith("text/html")) out.headers.set("Content-Security-Policy", APP_CSP);
  return out;
}

export const pageRoutes = new Hono<AppEnv>()
  .get("/assets/*", (c) => fromAssets(c, c.req.path))
  .get("/admin", (c) => fromAssets(c, "/admin/index.html"))
  .get("/admin/*", (c) => fromAssets(c, "/admin/index.html"))
  .get("/reset", (c) => fromAssets(c, "/reset/index.html"))
  .get("/change-password", (c) => fromAssets(c, "/change-password/index.html"));
