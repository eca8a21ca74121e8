import { createMiddleware } from "hono/factory";
import type { AppEnv } from "../context.js";

/** What an HTML page may load beyond nothing: its own inline blocks, by their SHA-256 (base64). */
export interface PageSources {
  /** A built app (web/): its scripts and styles are files of this origin, never inline. */
  fromSelf?: boolean;
  scriptHashes?: readonly string[];
  styleHashes?: readonly string[];
}

/**
 * A strict CSP for a page the worker serves: nothing loads unless listed, inline code runs only when
 * its hash is listed (so injected markup cannot run script), the page talks and posts only to this
 * origin, and no other site may frame it (clickjacking the sign-in form).
 */
export function contentSecurityPolicy(sources: PageSources = {}): string {
  const hashes = (list: readonly string[] = []) => list.map((h) => `'sha256-${h}'`);
  const sourceList = (list: readonly string[] = []) => [...(sources.fromSelf ? ["'self'"] : []), ...hashes(list)].join(" ");
  return [
    "default-src 'none'",
    sources.fromSelf || sources.scriptHashes?.length ? `script-src ${sourceList(sources.scriptHashes)}` : null,
    sources.fromSelf || sources.styleHashes?.length ? `style-src ${sourceList(sources.styleHashes)}` : null,
    sources.fromSelf ? "img-src 'self'" : null,
    "connect-src 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
    "base-uri 'none'",
  ]
    .filter(Boolean)
    .join("; ");
}

/** Base64 SHA-256 of an inline block's exact text, as CSP hash sources want it. */
export async function cspHash(text: string): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", new TextEncoder().encode(text)));
  return btoa(String.fromCharCode(...digest));
}

/**
 * On every answer, errors, 404/405 and preflights included: `no-store`, because responses carry
 * session and reset tokens, codes and personal data that no browser or proxy cache may keep; and
 * `nosniff`, so no answer is ever read as something other than its declared type. An HTML answer
 * also gets no Referer leak, no opener or frame access from other sites and, unless its route set a
 * policy for its own inline blocks, a CSP that allows nothing at all. Outermost, so it sees the final response whatever produced it.
 */
export const securityHeaders = createMiddleware<AppEnv>(async (c, next) => {
  await next();
  const headers = c.res.headers;
  headers.set("Cache-Control", "no-store");
  headers.set("X-Content-Type-Options", "nosniff");
  if (headers.get("content-type")?.toLowerCase().startsWith("text/html")) {
    headers.set("Referrer-Policy", "no-referrer");
    // A page another site opened cannot be steered or watched through window.opener handles
    // (tabnabbing the sign-in form); X-Frame-Options for browsers that predate frame-ancestors.
    headers.set("Cross-Origin-Opener-Policy", "same-origin");
    headers.set("X-Frame-Options", "DENY");
    if (!headers.has("Content-Security-Policy")) headers.set("Content-Security-Policy", contentSecurityPolicy());
  }
});
