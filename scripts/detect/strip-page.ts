/// <reference lib="dom" />
import { chromium } from "playwright-core";
import type { Browser, BrowserContext, Page } from "playwright-core";

/**
 * Runs in a saved page before an importer's own cleaning (page.evaluate): removes what no detector can
 * read in static markup — scripts, frames, stylesheets, media, metadata — empties SVGs and drops
 * comments. Self-contained, as page.evaluate needs.
 */
export function stripStatic(): void {
  const doc = document;
  doc.querySelectorAll("script,noscript,iframe,frame,frameset,object,embed,link,base,template,video,audio,canvas,source,track,style,meta")
    .forEach((el) => el.remove());
  doc.querySelectorAll("svg").forEach((el) => el.replaceChildren());
  const walker = doc.createTreeWalker(doc, NodeFilter.SHOW_COMMENT);
  const comments: Node[] = [];
  while (walker.nextNode()) comments.push(walker.currentNode);
  comments.forEach((c) => c.parentNode?.removeChild(c));
}

/** Chromium for saved pages: their scripts off, and nothing fetched but the document itself. */
export async function offlineBrowser(): Promise<{ browser: Browser; context: BrowserContext }> {
  const browser = await chromium.launch({ executablePath: "/usr/bin/chromium", args: ["--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu"] });
  const context = await browser.newContext({ javaScriptEnabled: false });
  await context.route("**/*", (r) => (r.request().resourceType() === "document" ? r.continue() : r.abort()));
  return { browser, context };
}

/** Puts a saved page in `page` and strips it (stripStatic), ready for an importer's own cleaning. */
export async function loadStripped(page: Page, html: string): Promise<void> {
  await page.setContent(html, { waitUntil: "domcontentloaded" }).catch(() => undefined);
  // tsx keeps function names through a `__name` helper that the page does not have.
  await page.evaluate("globalThis.__name = (f) => f").catch(() => undefined);
  await page.evaluate(stripStatic).catch(() => undefined);
}
