/// <reference lib="dom" />
/**
 * tsx scripts/detect/import-captures.ts <mirrors>
 *
 * Adds the pages listed in scripts/detect/captures.json to tests/detection/real/: pages saved from
 * real sites by other public projects, for the kinds Formasaurus lacks or left unannotated
 * (change-password forms, sign-ins without a <form> element, right-to-left sign-ins). Each entry names a
 * repository, commit and path; `<mirrors>` holds each repository as `owner+name/repo` (a bare git
 * directory, read with `git show`) or as a checkout in `owner+name/`. An entry's `signin` lists its
 * sign-in forms (the first is the one expected, the others are right too), each as selectors of its
 * username and password inputs in the saved page: they must match exactly one element each, get
 * `data-label` attributes as Formasaurus pages do, and are shown if the page saved them hidden (a
 * modal, a popup), as a user would open them. Without `signin` the label is "none". Like import-formasaurus.ts, scripts,
 * stylesheets, media, comments and event handlers go, and so do attributes that state a field's
 * purpose for another project's tests (DuckDuckGo's `data-manual-*`, Chrome's `autofill-*` debug
 * attributes); every field's `value` is emptied (one capture held a person's address); buttons keep their words.
 * Re-running replaces these entries in manifest.json and leaves the others.
 */
import { execFileSync } from "node:child_process";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { basename, join } from "node:path";
import { fileURLToPath } from "node:url";
import { CAPTURES_VIA, heldOut, REAL_PAGES_DIR } from "./labels.js";
import { loadStripped, offlineBrowser } from "./strip-page.js";

interface Pair { username: string; password: string }
interface Capture { repo: string; commit: string; path: string; url: string | null; kind: string; lang: string; signin?: Pair[] }

const mirrors = process.argv[2] ?? "";
if (!mirrors) throw new Error("usage: tsx scripts/detect/import-captures.ts <mirrors>");
const captures = JSON.parse(readFileSync(fileURLToPath(new URL("captures.json", import.meta.url)), "utf8")) as Capture[];

function source(c: Capture): string {
  const dir = join(mirrors, c.repo.replace("/", "+"));
  if (existsSync(join(dir, "repo"))) return execFileSync("git", ["--git-dir", join(dir, "repo"), "show", `${c.commit}:${c.path}`], { encoding: "utf8", maxBuffer: 64 << 20 });
  return readFileSync(join(dir, c.path), "utf8");
}

/**
 * Runs in the page: labels the sign-in fields, then reduces the page to static markup that says nothing
 * a detector could not see on the site.
 */
function clean(signin: Pair[]): string {
  const doc = document;
  const one = (selector: string) => {
    const found = doc.querySelectorAll(selector);
    if (found.length !== 1) throw new Error(`${selector} matches ${found.length} elements`);
    return found[0]!;
  };
  signin.forEach((pair, i) => {
    for (const [role, selector] of [["username", pair.username], ["password", pair.password]] as const) {
      const field = one(selector);
      field.setAttribute("data-label", `${role}-${i}`);
      for (let el: Element | null = field; el; el = el.parentElement) {
        el.removeAttribute("hidden");
        const style = el.getAttribute("style");
        if (style) el.setAttribute("style", style.replace(/(display\s*:\s*none|visibility\s*:\s*hidden)\s*(!important)?\s*;?/gi, ""));
      }
    }
  });
  doc.querySelectorAll("img").forEach((el) => el.remove());
  for (const el of Array.from(doc.querySelectorAll("*"))) {
    for (const a of Array.from(el.attributes)) {
      const n = a.name;
      if (n.startsWith("on") || n === "src" || n === "srcset" || n.startsWith("data-manual") || n.startsWith("autofill-") ||
        n.startsWith("data-ddg") || (n === "style" ? a.value.length > 400 : a.value.length > 160)) el.removeAttribute(n);
    }
    if (el.localName === "input" && !/^(submit|button|reset|image)$/i.test(el.getAttribute("type") ?? "")) el.removeAttribute("value");
    if (el.hasAttribute("href")) el.setAttribute("href", "#");
  }
  return `<!doctype html>\n${doc.documentElement.outerHTML}`;
}

async function main(): Promise<void> {
  const { browser, context } = await offlineBrowser();
  const page = await context.newPage();
  const manifestPath = join(REAL_PAGES_DIR, "manifest.json");
  const files = new Set<string>();
  const entries: Record<string, unknown>[] = [];
  for (const c of captures) {
    const file = `${c.repo.split("/")[0]!.toLowerCase()}-${basename(c.path)}`.replace(/[^a-zA-Z0-9.-]/g, "_");
    await loadStripped(page, source(c));
    const html = await page.evaluate(clean, c.signin ?? []);
    const pair = (i: number) => ({ username: `[data-label=username-${i}]`, password: `[data-label=password-${i}]` });
    const label = c.signin?.length
      ? { kind: "signin", ...pair(0), ...(c.signin.length > 1 ? { alternatives: c.signin.slice(1).map((_, i) => pair(i + 1)) } : {}) }
      : { kind: "none", username: null, password: null };
    const meta = `<meta name="opensspr-label" content='${JSON.stringify(label).replace(/'/g, "&#39;")}'>`;
    writeFileSync(join(REAL_PAGES_DIR, file), html.replace(/<head[^>]*>/i, (head) => `${head}<meta charset="utf-8">${meta}`));
    files.add(file);
    entries.push({ file, kind: c.kind, lang: c.lang, split: heldOut(file) ? "held-out" : "tuning", source: { repo: c.repo, path: c.path, commit: c.commit, url: c.url }, via: CAPTURES_VIA });
  }
  await browser.close();
  const kept = (JSON.parse(readFileSync(manifestPath, "utf8")) as { file: string }[]).filter((e) => !files.has(e.file));
  writeFileSync(manifestPath, `${JSON.stringify([...kept, ...entries], null, 1)}\n`);
  console.log(`${entries.length} pages added`);
}

await main();
