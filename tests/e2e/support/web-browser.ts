import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { chromium, type BrowserContext, type Page } from "playwright-core";

const CHROMIUM = ["/usr/lib/chromium/chromium", "/usr/bin/chromium"].find((p) => existsSync(p));

export interface WebBrowser {
  context: BrowserContext;
  /** A new tab at `url`, `width` pixels wide. */
  open(url: string, width?: number): Promise<Page>;
  close(): Promise<void>;
}

/** Chromium without the extension, for the pages the worker serves itself (/admin); `locale`: the browser's language. */
export async function launchForWebPages(options: { locale?: string } = {}): Promise<WebBrowser> {
  if (!CHROMIUM) throw new Error("Chromium not found: apt-get install -y chromium");
  const userDataDir = mkdtempSync(join(tmpdir(), "opensspr-chromium-web-"));
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: CHROMIUM,
    headless: true,
    viewport: { width: 1280, height: 800 },
    ...(options.locale ? { locale: options.locale } : {}),
    args: ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking", "--disable-component-update", "--no-first-run", "--disable-sync", "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1"],
  });
  return {
    context,
    async open(url, width = 1280) {
      const page = await context.newPage();
      await page.setViewportSize({ width, height: 800 });
      await page.goto(url);
      return page;
    },
    async close() {
      await context.close();
      rmSync(userDataDir, { recursive: true, force: true });
    },
  };
}

/** A tab signed in to the admin console as `account`, on its first screen (the user list). */
export async function openConsoleAs(browser: WebBrowser, workerUrl: string, account: { username: string; password: string }, width = 1280): Promise<Page> {
  const page = await browser.open(`${workerUrl}/admin`, width);
  await page.getByLabel("Username").fill(account.username);
  await page.getByLabel("Password", { exact: true }).fill(account.password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.getByRole("heading", { name: "Users" }).waitFor();
  return page;
}
