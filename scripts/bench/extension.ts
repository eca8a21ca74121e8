/**
 * Extension figures from the build output (`wxt build` → .output/chrome-mv3): the content script's
 * size gzipped (spec §9: ≤ 20 KB), the popup's bundle (every JS/CSS file popup.html loads), and the
 * sign-in detection time per page (issue 7), which is a hook until `npm run detect` exists.
 */
import { spawnSync } from "node:child_process";
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { join, posix, relative } from "node:path";
import { gzipSync } from "node:zlib";
import { stats } from "./load.js";
import type { Stats } from "./load.js";

export const CONTENT_SCRIPT_TARGET_BYTES = 20 * 1024;
export const DETECTION_TARGET_MS = 2;
/** Headless Chromium over the labelled pages must not stretch the whole bench past its 3 minutes. */
const DETECTION_BUDGET_MS = 45_000;

export interface FileSize {
  file: string;
  bytes: number;
  gzipBytes: number;
}

export interface ExtensionFigures {
  outputDir: string;
  built: boolean;
  /** How the build output came to be: "existing", "built now", or why it is missing. */
  build: string;
  contentScripts: FileSize[] | null;
  contentScriptsNote: string;
  popup: { files: FileSize[]; bytes: number; gzipBytes: number } | null;
  popupNote: string;
}

/** gzip at zlib's default level 6, what `gzip` and most servers use. */
const sizeOf = (root: string, file: string): FileSize => {
  const data = readFileSync(join(root, file));
  return { file, bytes: data.length, gzipBytes: gzipSync(data).length };
};

export function extensionSizes(root: string, log: (line: string) => void): ExtensionFigures {
  const outputDir = join(root, ".output", "chrome-mv3");
  let build = "existing .output/chrome-mv3";
  if (!existsSync(join(outputDir, "manifest.json"))) {
    if (!existsSync(join(root, "wxt.config.ts"))) {
      return notBuilt(outputDir, "not built yet (no wxt.config.ts)");
    }
    log("  .output/chrome-mv3 missing: running npx wxt build");
    const result = spawnSync("npx", ["wxt", "build"], { cwd: root, encoding: "utf8", timeout: 120_000 });
    if (result.status !== 0 || !existsSync(join(outputDir, "manifest.json"))) {
      return notBuilt(outputDir, `not built (npx wxt build failed: ${(result.stderr || result.stdout || String(result.error ?? "")).trim().split("\n").slice(-1)[0] ?? ""})`);
    }
    build = "built now with npx wxt build";
  }
  const manifest = JSON.parse(readFileSync(join(outputDir, "manifest.json"), "utf8"));

  // Content scripts: declared in the manifest, or (registered at run time, issue 7) emitted by WXT
  // under content-scripts/.
  const declared = ((manifest.content_scripts ?? []) as { js?: string[]; css?: string[] }[]).flatMap((c) => [...(c.js ?? []), ...(c.css ?? [])]);
  const emitted = existsSync(join(outputDir, "content-scripts"))
    ? readdirSync(join(outputDir, "content-scripts"))
        .filter((f) => f.endsWith(".js") || f.endsWith(".css"))
        .map((f) => `content-scripts/${f}`)
    : [];
  const contentFiles = [...new Set([...declared.map((f) => f.replace(/^\//, "")), ...emitted])].filter((f) => existsSync(join(outputDir, f)));
  const contentScripts = contentFiles.length ? contentFiles.map((f) => sizeOf(outputDir, f)) : null;

  const popupPage: string | undefined = manifest.action?.default_popup ?? manifest.browser_action?.default_popup;
  let popup: ExtensionFigures["popup"] = null;
  let popupNote = "not built yet (no popup in the manifest)";
  if (popupPage && existsSync(join(outputDir, popupPage))) {
    const files = popupFiles(outputDir, popupPage).map((f) => sizeOf(outputDir, f));
    popup = { files, bytes: files.reduce((a, f) => a + f.bytes, 0), gzipBytes: files.reduce((a, f) => a + f.gzipBytes, 0) };
    popupNote = `${popupPage} and the ${files.length} JS/CSS files it loads (gzip per file, summed)`;
  }
  return {
    outputDir: relative(root, outputDir),
    built: true,
    build,
    contentScripts,
    contentScriptsNote: contentScripts ? "each content-script file, gzip -6" : "not built yet (no content script in the build: issue 7)",
    popup,
    popupNote,
  };
}

function notBuilt(outputDir: string, why: string): ExtensionFigures {
  return { outputDir, built: false, build: why, contentScripts: null, contentScriptsNote: why, popup: null, popupNote: why };
}

/** The scripts and stylesheets an HTML page loads, and every module those import (static and dynamic). */
export function popupFiles(outputDir: string, page: string): string[] {
  const html = readFileSync(join(outputDir, page), "utf8");
  const queue: string[] = [];
  for (const m of html.matchAll(/<script[^>]*\bsrc="([^"]+)"/g)) queue.push(m[1]!);
  for (const m of html.matchAll(/<link[^>]*\brel="(?:stylesheet|modulepreload)"[^>]*\bhref="([^"]+)"/g)) queue.push(m[1]!);
  for (const m of html.matchAll(/<link[^>]*\bhref="([^"]+)"[^>]*\brel="(?:stylesheet|modulepreload)"/g)) queue.push(m[1]!);
  const resolveFrom = (from: string, spec: string) => (spec.startsWith("/") ? spec.slice(1) : posix.normalize(posix.join(posix.dirname(from), spec)));
  const seen = new Set<string>();
  const pending = queue.map((s) => resolveFrom(page, s));
  while (pending.length) {
    const file = pending.pop()!;
    if (seen.has(file) || !existsSync(join(outputDir, file)) || !statSync(join(outputDir, file)).isFile()) continue;
    seen.add(file);
    if (!file.endsWith(".js")) continue;
    const code = readFileSync(join(outputDir, file), "utf8");
    // Bundled ES modules: `from"./x.js"`, `import"./x.js"`, `import("./x.js")`.
    for (const m of code.matchAll(/(?:\bfrom\s*|\bimport\s*\(?\s*)["'`](\.{1,2}\/[^"'`]+|\/[^"'`]+)["'`]/g)) pending.push(resolveFrom(file, m[1]!));
  }
  return [...seen].sort();
}

// --- Sign-in detection time per page (issue 7) -------------------------------------------------

export interface DetectionFigures {
  status: "measured" | "not yet";
  note: string;
  pages: number;
  perPage: Stats | null;
}

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
  const scripts = JSON.parse(readFileSync(join(root, "package.json"), "utf8")).scripts ?? {};
  if (!scripts.detect) return { status: "not yet", note: "not yet (issue 7: no `npm run detect`)", pages: pageFiles.length, perPage: null };
  if (pageFiles.length === 0) return { status: "not yet", note: "not yet (issue 7: no labelled pages under tests/)", pages: 0, perPage: null };
  const result = spawnSync("npm", ["run", "--silent", "detect", "--", ...pageFiles.map((f) => relative(root, f))], {
    cwd: root,
    encoding: "utf8",
    timeout: DETECTION_BUDGET_MS,
    maxBuffer: 16 * 1024 * 1024,
  });
  const times: number[] = [];
  for (const line of (result.stdout ?? "").split("\n")) {
    try {
      const parsed = JSON.parse(line) as { ms?: unknown };
      if (typeof parsed.ms === "number") times.push(parsed.ms);
    } catch {
      // not a result line
    }
  }
  if (times.length === 0) {
    const why = result.error ? String(result.error.message) : `exit ${result.status}`;
    return { status: "not yet", note: `not yet (npm run detect gave no timings: ${why})`, pages: pageFiles.length, perPage: null };
  }
  const partial = times.length < pageFiles.length ? `, ${times.length} of ${pageFiles.length} pages within ${DETECTION_BUDGET_MS / 1000} s` : "";
  return { status: "measured", note: `npm run detect, \`ms\` per page as loaded${partial}`, pages: times.length, perPage: stats(times) };
}
