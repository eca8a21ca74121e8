import type { CDPSession, Page } from "playwright-core";
import type { ExtensionBrowser } from "./browser.js";
import { screenshotBothSchemes } from "./browser.js";
import { InPagePrompt } from "./prompt.js";

/**
 * The worker's demo sign-in page as a user meets it with the extension: sign in, see (or not) the
 * prompt in its closed shadow root, and whether the extension's content script runs in the page at all.
 */

/**
 * Host access to the demo pages, the way a user gives it: the options page's "Enable sign-in
 * prompts" button, clicked (a real gesture). Chrome then shows its permission dialog, which no
 * automation can answer in headless Chromium; so first the same access is added on
 * chrome://extensions ("Site access: on specific sites", what a user may also do by hand), after
 * which Chrome grants the button's request without a dialog.
 */
/** The options page's words, when the browser runs the extension in another language (tests/e2e/locales.test.ts). */
export interface AccessWords {
  enable: RegExp;
  on: string;
  shotPrefix: string;
}

const ENGLISH: AccessWords = { enable: /Enable sign-in prompts for \d+ sites?/, on: "Sign-in prompts are on.", shotPrefix: "options-signin-prompts" };

export async function enableSignInPrompts(browser: ExtensionBrowser, words: AccessWords = ENGLISH): Promise<void> {
  const extensions = await browser.context.newPage();
  await extensions.goto("chrome://extensions");
  await extensions.evaluate(async (id) => {
    const dev = (globalThis as unknown as { chrome: { developerPrivate: { addHostPermission(id: string, host: string): Promise<void> } } }).chrome.developerPrivate;
    await dev.addHostPermission(id, "http://127.0.0.1/*");
    await dev.addHostPermission(id, "http://localhost/*");
  }, browser.extensionId);
  await extensions.close();
  const options = await browser.open("options.html");
  await options.setViewportSize({ width: 900, height: 700 });
  const button = options.getByRole("button", { name: words.enable });
  await button.waitFor({ timeout: 15_000 });
  await screenshotBothSchemes(options, `${words.shotPrefix}-off`);
  await button.click();
  await options.getByText(words.on).waitFor({ timeout: 15_000 });
  await screenshotBothSchemes(options, `${words.shotPrefix}-on`);
  await options.close();
}

/** The registered content script's entry, read from the service worker. */
export async function registeredMatches(browser: ExtensionBrowser): Promise<string[]> {
  const sw = browser.context.serviceWorkers()[0]!;
  return sw.evaluate(async () => {
    const scripting = (globalThis as unknown as { chrome: { scripting: { getRegisteredContentScripts(): Promise<{ matches?: string[] }[]> } } }).chrome.scripting;
    return (await scripting.getRegisteredContentScripts()).flatMap((s) => s.matches ?? []);
  });
}

/**
 * Watches a page for the extension's isolated world: Chrome creates one per frame where one of the
 * extension's content scripts runs, and reports it over CDP with the extension's origin.
 */
export class ContentScriptProbe {
  private worlds = new Set<string>();
  private constructor(private readonly cdp: CDPSession) {}

  static async attach(page: Page, extensionId: string): Promise<ContentScriptProbe> {
    const cdp = await page.context().newCDPSession(page);
    const probe = new ContentScriptProbe(cdp);
    cdp.on("Runtime.executionContextCreated", ({ context }) => {
      if (context.origin === `chrome-extension://${extensionId}`) probe.worlds.add(`${context.id}`);
    });
    cdp.on("Runtime.executionContextsCleared", () => probe.worlds.clear());
    await cdp.send("Runtime.enable");
    return probe;
  }

  get running(): boolean {
    return this.worlds.size > 0;
  }
}

export class DemoSignIn {
  readonly prompt: InPagePrompt;

  constructor(
    readonly page: Page,
    readonly url: string,
    private readonly probe: ContentScriptProbe,
  ) {
    this.prompt = new InPagePrompt(page);
  }

  static async open(browser: ExtensionBrowser, workerUrl: string, colorScheme: "light" | "dark" = "light"): Promise<DemoSignIn> {
    const page = await browser.context.newPage();
    await page.setViewportSize({ width: 1280, height: 800 });
    await page.emulateMedia({ colorScheme });
    const demo = new DemoSignIn(page, `${workerUrl}/demo/login`, await ContentScriptProbe.attach(page, browser.extensionId));
    await demo.reload();
    return demo;
  }

  /** Loads the page and waits for the content script, so a sign-in right after is seen (or proves nothing). */
  async reload(): Promise<void> {
    await this.page.goto(this.url);
    await this.page.getByLabel("Username", { exact: true }).waitFor();
    const deadline = Date.now() + 10_000;
    while (!this.probe.running) {
      if (Date.now() > deadline) throw new Error("the content script did not start on the demo page");
      await this.page.waitForTimeout(50);
    }
  }

  /** Types and submits as a user does; resolves when the page itself has answered. */
  async signIn(username: string, password: string): Promise<string> {
    await this.page.getByLabel("Username", { exact: true }).fill(username);
    await this.page.getByLabel("Password", { exact: true }).fill(password);
    await this.page.getByRole("button", { name: "Sign in" }).click();
    const result = this.page.locator("#result");
    await result.filter({ hasNotText: /^(Signing in…)?$/ }).waitFor();
    return (await result.textContent()) ?? "";
  }

  /** Nothing appears: waits long enough for the background's sign-in round trip to have finished. */
  async expectNoPrompt(ms = 2500): Promise<void> {
    await this.page.waitForTimeout(ms);
    const count = await this.page.locator("opensspr-prompt").count();
    if (count !== 0) throw new Error(`a prompt appeared where none was expected: ${JSON.stringify(await this.prompt.seen())}`);
  }

  async shot(name: string): Promise<void> {
    await this.page.waitForTimeout(300); // past the prompt's fade-in
    await screenshotBothSchemes(this.page, name);
  }
}
