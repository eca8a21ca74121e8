/**
 * npm run detect -- <file.html|URL>...   one JSON line per input: {input, kind, username, password, ms, warmMs, elements}
 * npm run detect -- --labelled [dir]     every labelled page (tests/detection/pages, hand-written, and
 *                                        tests/detection/real, saved from real sites; or only [dir]): a line per
 *                                        page, then precision, recall, field accuracy, median / p95 ms and bundle
 *                                        size, overall and per set, language, kind and tuning / held-out split.
 *                                        `--real` or `--hand-written` runs one set only.
 *
 * `ms` is the observer's first detection on the page as loaded (the code still cold), `warmMs` the
 * median of 21 more on the settled page, `elements` the page's element count.
 *
 * Runs the real detection code (extension/signin-detection, bundled by esbuild) in headless Debian
 * Chromium through playwright-core. Selectors inside open shadow roots read `host >>> inner`.
 */
import { existsSync, readFileSync } from "node:fs";
import { relative, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { chromium, type Page } from "playwright-core";
import { detectionSize, harnessBundle } from "./detect/bundle.js";
import {
  labelledPages, PAGES_DIR, percentile, REAL_PAGES_DIR, realManifest, summarise, summariseByTag, type Label, type Outcome, type RealPage,
} from "./detect/labels.js";

const SETTLE_MS = 1500; // forms built after load: wait up to this long for the page's short timers
const WARM_RUNS = 21;

interface PageReport {
  kind: Outcome["kind"];
  username: string | null;
  password: string | null;
  ms: number;
  selectorsUnique: boolean;
  detections: number;
  usernameOk?: boolean;
  passwordOk?: boolean;
}

function chromiumPath(): string {
  const candidates = [process.env.CHROMIUM_PATH, "/usr/lib/chromium/chromium", "/usr/bin/chromium"];
  const found = candidates.find((p): p is string => !!p && existsSync(p));
  if (!found) throw new Error("Chromium not found: apt-get install -y chromium (or set CHROMIUM_PATH)");
  return found;
}

function toUrl(input: string): string {
  return /^[a-z][a-z0-9+.-]*:\/\//i.test(input) ? input : pathToFileURL(resolve(input)).href;
}

async function detect(page: Page, url: string, label?: Label): Promise<PageReport & { warmMs: number; elements: number }> {
  await page.goto(url, { waitUntil: "load", timeout: 30_000 });
  await page
    .waitForFunction("globalThis.__opensspr && globalThis.__opensspr.settled()", undefined, { timeout: SETTLE_MS, polling: 10 })
    .catch(() => undefined); // still busy after 1.5 s: report what the observer has now
  const report = (await page.evaluate(`globalThis.__opensspr.report(${JSON.stringify(label ?? null)})`)) as PageReport;
  const warmMs = (await page.evaluate(`globalThis.__opensspr.warmMs(${WARM_RUNS})`)) as number;
  const elements = (await page.evaluate("document.getElementsByTagName('*').length")) as number;
  return { ...report, warmMs, elements };
}

interface SetPage { file: string; path: string; label: Label; tags: string[] }

/** The hand-written pages (tagged by their file name's first word) and the real ones (tagged from the manifest). */
function labelledSet(dir: string | undefined, only: "real" | "hand-written" | null): SetPage[] {
  const tagged = (d: string, tags: (file: string, html: string) => string[]) =>
    existsSync(d) ? labelledPages(d).map((p) => ({ ...p, file: relative(process.cwd(), p.path), tags: tags(p.file, readFileSync(p.path, "utf8")) })) : [];
  if (dir) return tagged(dir, () => []);
  const manifest = only === "hand-written" ? new Map<string, RealPage>() : realManifest();
  return [
    ...(only === "real" ? [] : tagged(PAGES_DIR, (file, html) => ["set:hand-written", `lang:${/<html[^>]*lang="([a-z]{2})/i.exec(html)?.[1] ?? "en"}`])),
    ...(only === "hand-written" ? [] : tagged(REAL_PAGES_DIR, (file) => {
      const m = manifest.get(file);
      return m ? ["set:real", `real-${m.split}`, `real-lang:${m.lang}`, `real-kind:${m.kind}`] : ["set:real"];
    })),
  ];
}

/** One line per group: pages, precision, recall, field accuracy, median ms. */
function table(groups: ReturnType<typeof summariseByTag>): string {
  // "-" where a figure has nothing to count: no page found as sign-in, or no sign-in page in the group.
  const figure = (value: number, of: number) => (of ? value.toFixed(3) : "  -  ");
  const rows = Object.entries(groups).map(([tag, s]) =>
    `${tag.padEnd(40)} ${String(s.pages).padStart(4)} pages ${String(s.positives).padStart(4)} sign-in  ` +
    `precision ${figure(s.precision, s.truePositives + s.falsePositives)}  recall ${figure(s.recall, s.positives)}  ` +
    `fields ${figure(s.fieldAccuracy, s.truePositives)}  median ${s.medianMs.toFixed(2)} ms`);
  return rows.join("\n");
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const labelled = args.includes("--labelled");
  const inputs = args.filter((a) => !a.startsWith("--"));
  if (!labelled && !inputs.length) {
    console.error("usage: npm run detect -- <file.html|URL>...   |   npm run detect -- --labelled [pages-dir]");
    process.exit(2);
  }
  const started = Date.now();
  const bundle = await harnessBundle();
  const browser = await chromium.launch({
    executablePath: chromiumPath(),
    headless: true,
    args: ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking",
      "--disable-component-update", "--no-first-run", "--disable-sync"],
  });
  try {
    const page = await browser.newPage();
    await page.addInitScript({ content: bundle });
    if (!labelled) {
      for (const input of inputs) {
        try {
          const r = await detect(page, toUrl(input));
          console.log(JSON.stringify({ input, kind: r.kind, username: r.username, password: r.password, ms: r.ms, warmMs: r.warmMs, elements: r.elements }));
          if (!r.selectorsUnique) console.error(`${input}: a selector does not match exactly the detected element`);
        } catch (e) {
          // An unreachable URL or a page that crashes: say so on its line and go on with the others.
          console.log(JSON.stringify({ input, error: (e as Error).message.split("\n")[0] }));
          process.exitCode = 1;
        }
      }
      return;
    }
    const outcomes: Outcome[] = [];
    const warm: number[] = [];
    let unique = true;
    const only = args.includes("--real") ? "real" : args.includes("--hand-written") ? "hand-written" : null;
    for (const p of labelledSet(inputs[0], only)) {
      const r = await detect(page, pathToFileURL(p.path).href, p.label);
      const outcome: Outcome = {
        page: p.file, tags: p.tags, expected: p.label.kind, kind: r.kind, usernameOk: !!r.usernameOk, passwordOk: !!r.passwordOk, ms: r.ms,
      };
      outcomes.push(outcome);
      warm.push(r.warmMs);
      unique &&= r.selectorsUnique;
      const ok = outcome.kind === outcome.expected && (outcome.kind === "none" || (outcome.usernameOk && outcome.passwordOk));
      console.log(JSON.stringify({ input: p.file, tags: p.tags, kind: r.kind, username: r.username, password: r.password, ms: r.ms, warmMs: r.warmMs, elements: r.elements, expected: p.label, ok }));
    }
    const summary = summarise(outcomes);
    const groups = summariseByTag(outcomes);
    const size = await detectionSize();
    console.log(JSON.stringify({
      summary: {
        ...summary,
        warmMedianMs: Math.round(percentile(warm, 50) * 1000) / 1000,
        selectorsUnique: unique,
        detectionBundle: size,
        seconds: Math.round((Date.now() - started) / 100) / 10,
      },
      groups,
    }));
    console.log(table(groups));
  } finally {
    await browser.close();
  }
}

await main();
