/**
 * Extension figures from a fresh build (`wxt build` → .output/chrome-mv3): per entry (popup,
 * registration page, options page, background, content script) the JavaScript that loads before any
 * dynamic import ("initial": the page's scripts and their static imports) and with every lazy chunk
 * ("total"), raw and gzipped; spec §9 caps the content script at 20 KB gzipped and issue 13 the popup's
 * and registration page's initial JavaScript at 60 KB. Then the sign-in detection time per page.
 */
import { spawnSync } from "node:child_process";
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { join, posix, relative } from "node:path";
import { gzipSync } from "node:zlib";
import { stats } from "./load.js";
import type { Stats } from "./load.js";

const CONTENT_SCRIPT_TARGET_BYTES = 20 * 1024;
export const INITIAL_PAGE_TARGET_BYTES = 60 * 1024;
export const DETECTION_TARGET_MS = 2;
/** Headless Chromium over the labelled pages must not stretch the whole bench past its 3 minutes. */
const DETECTION_BUDGET_MS = 45_000;

export interface FileSize {
  file: string;
  bytes: number;
  gzipBytes: number;
  /** Loaded only through a dynamic import. */
  lazy: boolean;
}

export interface EntrySize {
  entry: string;
  /** The HTML page or script file the browser starts from. */
  start: string;
  /** gzipped-size target for the initial JavaScript, if the entry has one. */
  targetGzipBytes: number | null;
  initial: { bytes: number; gzipBytes: number };
  total: { bytes: number; gzipBytes: number };
  cssGzipBytes: number;
  files: FileSize[];
}

export interface ExtensionFigures {
  outputDir: string;
  built: boolean;
  /** "built now with npx wxt build", or why it is missing. */
  build: string;
  entries: EntrySize[];
}

/** gzip at zlib's default level 6, what `gzip` and most servers use; each file on its own, as each is fetched alone. */
const sizeOf = (root: string, file: string, lazy: boolean): FileSize => {
  const data = readFileSync(join(root, file));
  return { file, bytes: data.length, gzipBytes: gzipSync(data).length, lazy };
};

export function extensionSizes(root: string, log: (line: string) => void): ExtensionFigures {
  const outputDir = join(root, ".output", "chrome-mv3");
  if (!existsSync(join(root, "wxt.config.ts"))) return notBuilt(outputDir, "not built yet (no wxt.config.ts)");
  // Always a fresh build: an .output left from another branch or edit would report someone else's sizes.
  log("  building the extension (npx wxt build)");
  const result = spawnSync("npx", ["wxt", "build"], { cwd: root, encoding: "utf8", timeout: 120_000 });
  if (result.status !== 0 || !existsSync(join(outputDir, "manifest.json"))) {
    return notBuilt(outputDir, `not built (npx wxt build failed: ${(result.stderr || result.stdout || String(result.error ?? "")).trim().split("\n").slice(-1)[0] ?? ""})`);
  }
  const manifest = JSON.parse(readFileSync(join(outputDir, "manifest.json"), "utf8"));
  // The content script is registered at run time (issue 7), so WXT emits it under content-scripts/
  // rather than listing it in the manifest.
  const contentScripts = existsSync(join(outputDir, "content-scripts"))
    ? readdirSync(join(outputDir, "content-scripts")).filter((f) => f.endsWith(".js")).map((f) => `content-scripts/${f}`)
    : [];
  const starts: [string, string | undefined, number | null][] = [
    ["popup", manifest.action?.default_popup ?? manifest.browser_action?.default_popup, INITIAL_PAGE_TARGET_BYTES],
    ["registration page", "registration.html", INITIAL_PAGE_TARGET_BYTES],
    ["change-password page", "change-password.html", INITIAL_PAGE_TARGET_BYTES],
    ["options page", manifest.options_ui?.page ?? manifest.options_page, null],
    ["background", manifest.background?.service_worker, null],
    ...contentScripts.map((f): [string, string, number] => [`content script (${posix.basename(f, ".js")})`, f, CONTENT_SCRIPT_TARGET_BYTES]),
  ];
  const entries = starts
    .filter((s): s is [string, string, number | null] => !!s[1] && existsSync(join(outputDir, s[1].replace(/^\//, ""))))
    .map(([entry, start, target]) => entrySize(outputDir, entry, start.replace(/^\//, ""), target));
  return { outputDir: relative(root, outputDir), built: true, build: "built now with npx wxt build", entries };
}

function notBuilt(outputDir: string, why: string): ExtensionFigures {
  return { outputDir, built: false, build: why, entries: [] };
}

function entrySize(outputDir: string, entry: string, start: string, targetGzipBytes: number | null): EntrySize {
  const { initial, lazy } = entryFiles(outputDir, start);
  const files = [...initial.map((f) => sizeOf(outputDir, f, false)), ...lazy.map((f) => sizeOf(outputDir, f, true))];
  const sum = (list: FileSize[]) => ({ bytes: list.reduce((a, f) => a + f.bytes, 0), gzipBytes: list.reduce((a, f) => a + f.gzipBytes, 0) });
  const scripts = files.filter((f) => f.file.endsWith(".js"));
  return {
    entry,
    start,
    targetGzipBytes,
    initial: sum(scripts.filter((f) => !f.lazy)),
    total: sum(scripts),
    cssGzipBytes: sum(files.filter((f) => f.file.endsWith(".css"))).gzipBytes,
    files,
  };
}

/**
 * The files an entry loads: `initial` are the HTML page's scripts, module preloads and stylesheets
 * (or the script itself) and everything they import statically; `lazy` is what only dynamic
 * `import()`s reach (with Vite's preload lists, which name their chunks from the output root).
 */
export function entryFiles(outputDir: string, start: string): { initial: string[]; lazy: string[] } {
  const resolveFrom = (from: string, spec: string) => (spec.startsWith("/") ? spec.slice(1) : posix.normalize(posix.join(posix.dirname(from), spec)));
  const roots: string[] = [];
  if (start.endsWith(".html")) {
    const html = readFileSync(join(outputDir, start), "utf8");
    for (const m of html.matchAll(/<script[^>]*\bsrc="([^"]+)"/g)) roots.push(resolveFrom(start, m[1]!));
    for (const m of html.matchAll(/<link[^>]*\brel="(?:stylesheet|modulepreload)"[^>]*\bhref="([^"]+)"/g)) roots.push(resolveFrom(start, m[1]!));
    for (const m of html.matchAll(/<link[^>]*\bhref="([^"]+)"[^>]*\brel="(?:stylesheet|modulepreload)"/g)) roots.push(resolveFrom(start, m[1]!));
  } else roots.push(start);

  const initial = new Set<string>();
  const dynamic: string[] = [];
  const walk = (pending: string[], into: Set<string>) => {
    while (pending.length) {
      const file = pending.pop()!;
      if (initial.has(file) || into.has(file) || !existsSync(join(outputDir, file)) || !statSync(join(outputDir, file)).isFile()) continue;
      into.add(file);
      if (!file.endsWith(".js")) continue;
      const code = readFileSync(join(outputDir, file), "utf8");
      // Bundled ES modules: static `from"./x.js"` and `import"./x.js"`; dynamic `import("./x.js")`.
      for (const m of code.matchAll(/(?:\bfrom\s*|\bimport\s*)["'`](\.{1,2}\/[^"'`]+|\/[^"'`]+)["'`]/g)) pending.push(resolveFrom(file, m[1]!));
      for (const m of code.matchAll(/\bimport\s*\(\s*["'`](\.{1,2}\/[^"'`]+|\/[^"'`]+)["'`]/g)) dynamic.push(resolveFrom(file, m[1]!));
      const preloads = /__vite__mapDeps=[^]*?\bm\.f=(\[[^\]]*\])/.exec(code)?.[1];
      if (preloads) dynamic.push(...(JSON.parse(preloads) as string[]));
    }
  };
  walk(roots, initial);
  const lazy = new Set<string>();
  walk(dynamic, lazy);
  return { initial: [...initial].sort(), lazy: [...lazy].filter((f) => !initial.has(f)).sort() };
}

// --- Sign-in detection time per page (issue 7) -------------------------------------------------

export interface DetectionFigures {
  status: "measured" | "not yet";
  note: string;
  pages: number;
  /** The first detection on each page as loaded (code cold), and the median of repeats (warm). */
  perPage: Stats | null;
  warm: Stats | null;
  /** The same over the pages of at least HEAVY_PAGE_ELEMENTS elements (issue 13). */
  heavyPages: number;
  heavy: Stats | null;
  heavyWarm: Stats | null;
}

/** Issue 13's heavy pages: 5,000 to 10,000 elements (a long news page, a data grid, a comment thread). */
export const HEAVY_PAGE_ELEMENTS = 5_000;

/** Where issue 7 keeps its labelled real-world-style pages (`npm run detect -- --labelled` reads them too). */
export const LABELLED_PAGES_DIR = join("tests", "detection", "pages");

/** The labelled pages for the detection timing: every .html below LABELLED_PAGES_DIR, or none yet. */
export function findLabelledPages(root: string): string[] {
  const found: string[] = [];
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (entry.name.endsWith(".html")) found.push(path);
    }
  };
  if (existsSync(join(root, LABELLED_PAGES_DIR))) walk(join(root, LABELLED_PAGES_DIR));
  return found.sort();
}

/**
 * THE HOOK for issue 7: sign-in detection time per page in Chromium. Runs `npm run detect -- <pages>`
 * (issue 7: one JSON line per page whose `ms` is the detection time on that page as loaded) and takes
 * median and p95, within DETECTION_BUDGET_MS (pages past it are left out and the count says so). Until
 * that command and labelled pages exist, it reports "not yet".
 */
export function measureSignInDetection(root: string, pageFiles: string[]): DetectionFigures {
  const none = { pages: pageFiles.length, perPage: null, warm: null, heavyPages: 0, heavy: null, heavyWarm: null };
  const scripts = JSON.parse(readFileSync(join(root, "package.json"), "utf8")).scripts ?? {};
  if (!scripts.detect) return { status: "not yet", note: "not yet (issue 7: no `npm run detect`)", ...none };
  if (pageFiles.length === 0) return { status: "not yet", note: "not yet (issue 7: no labelled pages under tests/)", ...none, pages: 0 };
  const result = spawnSync("npm", ["run", "--silent", "detect", "--", ...pageFiles.map((f) => relative(root, f))], {
    cwd: root,
    encoding: "utf8",
    timeout: DETECTION_BUDGET_MS,
    maxBuffer: 16 * 1024 * 1024,
  });
  const lines: { ms: number; warmMs: number; elements: number }[] = [];
  for (const line of (result.stdout ?? "").split("\n")) {
    try {
      const parsed = JSON.parse(line) as { ms?: unknown; warmMs?: unknown; elements?: unknown };
      if (typeof parsed.ms === "number") lines.push({ ms: parsed.ms, warmMs: Number(parsed.warmMs ?? NaN), elements: Number(parsed.elements ?? 0) });
    } catch {
      // not a result line
    }
  }
  if (lines.length === 0) {
    const why = result.error ? String(result.error.message) : `exit ${result.status}`;
    return { status: "not yet", note: `not yet (npm run detect gave no timings: ${why})`, ...none };
  }
  const partial = lines.length < pageFiles.length ? `, ${lines.length} of ${pageFiles.length} pages within ${DETECTION_BUDGET_MS / 1000} s` : "";
  const heavy = lines.filter((l) => l.elements >= HEAVY_PAGE_ELEMENTS);
  const of = (list: number[]) => (list.length ? stats(list) : null);
  return {
    status: "measured",
    note: `npm run detect, \`ms\` per page as loaded${partial}`,
    pages: lines.length,
    perPage: stats(lines.map((l) => l.ms)),
    warm: of(lines.map((l) => l.warmMs).filter(Number.isFinite)),
    heavyPages: heavy.length,
    heavy: of(heavy.map((l) => l.ms)),
    heavyWarm: of(heavy.map((l) => l.warmMs).filter(Number.isFinite)),
  };
}
