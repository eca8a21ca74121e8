import { createMiddleware } from "hono/factory";
import type { AppEnv } from "../context.js";
import { MAX_BODY_BYTES } from "../../../shared/api/common.js";
import { ApiError } from "../errors.js";

/**
 * A sync page (up to 1000 users with their groups) is the one body larger than the contract's 64 KiB.
 * Bounded all the same: D1 takes it in JSON chunks (directory/sync/statements.ts), and a Worker's
 * memory is 128 MB.
 */
const MAX_SYNC_PAGE_BYTES = 8 * 1024 * 1024;
const SYNC_PAGE_PATH = "/v1/agent/sync";
const JSON_TYPE = /^application\/(?:[a-z0-9.+-]+\+)?json\s*(?:;|$)/i;

/**
 * The contract's body rules, before any route sees the request: JSON only (415), 64 KiB (413),
 * well-formed JSON (400). The body is read once here and handed to the validators through Hono's cache.
 */
export const bodyGuard = createMiddleware<AppEnv>(async (c, next) => {
  const max = c.req.path === SYNC_PAGE_PATH ? MAX_SYNC_PAGE_BYTES : MAX_BODY_BYTES;
  const declared = Number(c.req.header("content-length") ?? "0");
  if (declared > max) throw tooLarge(max);
  if (c.req.method === "GET" || c.req.method === "HEAD" || c.req.method === "OPTIONS") return next();

  const raw = await c.req.arrayBuffer();
  if (raw.byteLength > max) throw tooLarge(max);
  if (raw.byteLength === 0) return next();
  if (!JSON_TYPE.test(c.req.header("content-type") ?? "")) {
    throw new ApiError(415, "unsupported_media_type", "Send the body as application/json.");
  }
  let text: string;
  try {
    text = new TextDecoder("utf-8", { fatal: true, ignoreBOM: false }).decode(raw);
    JSON.parse(text);
  } catch {
    throw new ApiError(400, "invalid_request", "The body is not valid JSON.");
  }
  // The routes' validators (@hono/zod-openapi) test the header with a narrower pattern than RFC 9110's
  // media-type grammar: `application/json ; charset=utf-8` or a trailing `;` would be a 415 there.
  // The body is JSON by now, so they see the plain type; the body stays in Hono's cache.
  if (c.req.header("content-type") !== PLAIN_JSON) {
    const headers = new Headers(c.req.raw.headers);
    headers.set("content-type", PLAIN_JSON);
    c.req.raw = new Request(c.req.url, { method: c.req.method, headers, body: raw });
  }
  return next();
});

const PLAIN_JSON = "application/json";

const tooLarge = (max: number) => new ApiError(413, "payload_too_large", `The body is larger than ${max / 1024 >= 1024 ? `${max / 1024 / 1024} MiB` : `${max / 1024} KiB`}.`);
