/**
 * npm run detect -- <file.html|URL>...   one JSON line per input: {input, kind, username, password, ms, warmMs, elements}
 * npm run detect -- --labelled [dir]     every labelled page (tests/detection/pages): a line per page, then
 *                                        precision, recall, field accuracy, median / p95 ms and bundle size.
 *
 * `ms` is the observer's first detection on the page as loaded (the code still cold), `warmMs` the
 * median of 21 more on the settled page, `elements` the page's element count.
 *
 * Runs the real detection code (extension/signin-detection, bundled by esbuild) in headless Debian
 * Chromium through playwright-core. Selectors inside open shadow roots read `host >>> inner`.
 */
import { existsSync } from "node:fs";
import { resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { chromium, type Page } from "playwright-core";
import { detectionSize, harnessBundle } from "./detect/bundle.js";
import { labelledPages, percentile, summarise, type Label, type Outcome } from "./detect/labels.js";

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
    for (const p of labelledPages(inputs[0])) {
      const r = await detect(page, pathToFileURL(p.path).href, p.label);
      const outcome: Outcome = { page: p.file, expected: p.label.kind, kind: r.kind, usernameOk: !!r.usernameOk, passwordOk: !!r.passwordOk, ms: r.ms };
      outcomes.push(outcome);
      warm.push(r.warmMs);
      unique &&= r.selectorsUnique;
      const ok = outcome.kind === outcome.expected && (outcome.kind === "none" || (outcome.usernameOk && outcome.passwordOk));
      console.log(JSON.stringify({ input: p.file, kind: r.kind, username: r.username, password: r.password, ms: r.ms, warmMs: r.warmMs, elements: r.elements, expected: p.label, ok }));
    }
    const summary = summarise(outcomes);
    const size = await detectionSize();
    console.log(JSON.stringify({
      summary: {
        ...summary,
        warmMedianMs: Math.round(percentile(warm, 50) * 1000) / 1000,
        selectorsUnique: unique,
        detectionBundle: size,
        seconds: Math.round((Date.now() - started) / 100) / 10,
      },
    }));
  } finally {
    await browser.close();
  }
}

await main();
