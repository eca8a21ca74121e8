import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { chromium, type BrowserContext, type Page } from "playwright-core";
import { EXTENSION_DIR } from "./build-extension.js";

const devIdentity = JSON.parse(readFileSync(new URL("../../../extension/dev-identity.json", import.meta.url), "utf8")) as { id: string };

/** The wrapper script /usr/bin/chromium prints a harmless shell warning; the binary behind it does not. */
const CHROMIUM = ["/usr/lib/chromium/chromium", "/usr/bin/chromium"].find((p) => existsSync(p));

export interface ExtensionBrowser {
  context: BrowserContext;
  extensionId: string;
  /** A page of the extension (popup.html, options.html) in a tab sized like the toolbar popup. */
  open(path: string, colorScheme?: "light" | "dark"): Promise<Page>;
  /** Points the extension at a worker the way the options page does (the options page has its own test). */
  useWorker(url: string): Promise<void>;
  close(): Promise<void>;
}

/** `extensionDir`: another unpacked build (e.g. with the pseudo-locale added); `lang`: Chromium's UI language, which picks the extension's locale. */
export async function launchWithExtension(options: { extensionDir?: string; lang?: string } = {}): Promise<ExtensionBrowser> {
  const extensionDir = options.extensionDir ?? EXTENSION_DIR;
  if (!CHROMIUM) throw new Error("Chromium not found: apt-get install -y chromium");
  const userDataDir = mkdtempSync(join(tmpdir(), "opensspr-chromium-"));
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: CHROMIUM,
    headless: true,
    viewport: { width: 380, height: 640 },
    args: [
      `--disable-extensions-except=${extensionDir}`,
      `--load-extension=${extensionDir}`,
      ...(options.lang ? [`--lang=${options.lang}`] : []),
      "--no-sandbox",
      "--disable-gpu",
      "--disable-dev-shm-usage",
      "--disable-background-networking",
      "--disable-component-update",
      "--no-first-run",
      "--disable-sync",
      "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1",
    ],
  });
  const sw = context.serviceWorkers()[0] ?? (await context.waitForEvent("serviceworker"));
  const extensionId = new URL(sw.url()).host;
  // The manifest's public key must give the ID the worker allows by CORS; a mismatch means a stale key.
  if (extensionId !== devIdentity.id) throw new Error(`extension ID ${extensionId} is not the dev identity ${devIdentity.id}`);
  return {
    context,
    extensionId,
    async open(path, colorScheme = "light") {
      const page = await context.newPage();
      await page.emulateMedia({ colorScheme });
      await page.goto(`chrome-extension://${extensionId}/${path}`);
      return page;
    },
    async useWorker(url) {
      // Looked up each time: Chromium may have stopped and restarted an idle extension service worker.
      const current = context.serviceWorkers()[0] ?? (await context.waitForEvent("serviceworker"));
      await current.evaluate((u) => (globalThis as unknown as { chrome: { storage: { local: { set(v: object): Promise<void> } } } }).chrome.storage.local.set({ workerUrl: u }), url);
    },
    async close() {
      await context.close();
      rmSync(userDataDir, { recursive: true, force: true });
    },
  };
}

const SHOTS = join(process.cwd(), "test-results", "e2e");

/**
 * Screenshots are the test's artefacts (test-results/ is gitignored): one PNG per wizard step.
 * Transitions and animations are finished first: a shot taken right after switching to dark would
 * otherwise catch buttons mid-way between the two palettes. The pointer is moved off the page's
 * content, so a button that moved under the last click isn't shot in its hover colour.
 */
export async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(SHOTS, { recursive: true });
  await page.mouse.move(0, 0);
  await page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: true, animations: "disabled" });
}

/** The page as it is, photographed in light and then dark (`<name>-light`, `<name>-dark`), left in light. */
export async function screenshotBothSchemes(page: Page, name: string): Promise<void> {
  await page.emulateMedia({ colorScheme: "light" });
  await screenshot(page, `${name}-light`);
  await page.emulateMedia({ colorScheme: "dark" });
  await screenshot(page, `${name}-dark`);
  await page.emulateMedia({ colorScheme: "light" });
}
