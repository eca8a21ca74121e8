import { cpSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { addPseudoLocale, PSEUDO_LOCALE } from "../../scripts/pseudo-locale.js";
import { nextCode, seenCodes } from "./support/api.js";
import { launchWithExtension, screenshotBothSchemes, type ExtensionBrowser } from "./support/browser.js";
import { EXTENSION_DIR } from "./support/build-extension.js";
import { DemoSignIn, enableSignInPrompts } from "./support/signin-page.js";
import { startTestWorker, type TestWorker } from "./support/worker.js";

// Demo accounts (scripts/seed-demo.ts): Jane has an email method; Sam has none, so signing in prompts him.
const JANE = "jane@demo.example";
const SAM = { username: "sam@demo.example", password: "glacier-tulip-rocket-64" };

/** A loaded machine can take minutes to start wrangler: this file's steps are not what is being timed. */
const SLOW = 300_000;

type Messages = Record<string, { message: string }>;

/** A copy of the built extension with the pseudo-locale added, as `tsx scripts/pseudo-locale.ts <dir>` writes it. */
function extensionWithPseudoLocale(): string {
  const dir = mkdtempSync(join(tmpdir(), "opensspr-pseudo-"));
  cpSync(EXTENSION_DIR, dir, { recursive: true });
  addPseudoLocale(dir);
  return dir;
}

/**
 * Words on screen that no message went through: plain ASCII words left once the values that are
 * not the product's words (the org's name, usernames, masked hints, URLs, numbers) are taken out.
 */
function untranslated(text: string): string[] {
  const values = text.replace(/\S*[@•:/]\S*/g, " ").replace(/Demo Org|OpenSSPR|Sam Lee/g, " ");
  return [...new Set(values.match(/\b[A-Za-z]{3,}\b/g) ?? [])];
}

/**
 * Issue 18, items 3 and 4: the extension in Arabic (mirrored) and in the pseudo-locale (longer,
 * accented, bracketed), driven through the popup, the options page, the prompt and the registration
 * page; every screen photographed in light and dark for a person to look at truncation and layout.
 */
describe.each([
  { lang: "ar", locale: "ar", dir: "rtl" },
  { lang: "en-XA", locale: PSEUDO_LOCALE, dir: "ltr" },
])("the extension in $lang, in Chromium", ({ lang, locale, dir }) => {
  let worker: TestWorker;
  let browser: ExtensionBrowser;
  let extensionDir: string;
  let messages: Messages;
  const say = (key: string) => messages[key]!.message;
  const shots = (name: string) => `locale-${lang}-${name}`;

  const expectLanguage = async (page: Page) => {
    expect(await page.evaluate(() => [document.documentElement.lang, document.documentElement.dir])).toEqual([say("htmlLang"), dir]);
    if (locale === PSEUDO_LOCALE) expect(untranslated(await page.locator("body").innerText())).toEqual([]);
  };

  beforeAll(async () => {
    extensionDir = extensionWithPseudoLocale();
    messages = JSON.parse(readFileSync(join(extensionDir, "_locales", locale, "messages.json"), "utf8")) as Messages;
    [worker, browser] = await Promise.all([startTestWorker(), launchWithExtension({ extensionDir, lang })]);
    await browser.useWorker(worker.url);
  }, SLOW);
  afterAll(async () => {
    await browser?.close();
    await worker?.stop();
    rmSync(extensionDir, { recursive: true, force: true });
  }, SLOW);

  it("walks the reset wizard to the password rules", async () => {
    const seen = await seenCodes(worker.url, JANE);
    const page = await browser.open("popup.html");
    const heading = page.getByRole("heading", { level: 1 });
    await heading.filter({ hasText: say("usernameTitle") }).waitFor();
    await expectLanguage(page);
    await screenshotBothSchemes(page, shots("1-username"));

    await page.getByLabel(say("usernameLabel"), { exact: true }).fill(JANE);
    await page.getByLabel(say("usernameLabel"), { exact: true }).press("Enter");
    await heading.filter({ hasText: say("chooseTitle") }).waitFor();
    await page.getByRole("radio").first().check();
    await expectLanguage(page);
    await screenshotBothSchemes(page, shots("2-choose"));

    await page.getByRole("button", { name: say("sendCode") }).click();
    await heading.filter({ hasText: say("codeTitleEmail") }).waitFor();
    await expectLanguage(page);
    await screenshotBothSchemes(page, shots("3-code"));

    await page.getByLabel(say("codeLabel"), { exact: true }).fill(await nextCode(worker.url, JANE, seen));
    await page.getByRole("button", { name: say("verify") }).click();
    await heading.filter({ hasText: say("passwordTitle") }).waitFor();
    await page.getByLabel(say("passwordLabel"), { exact: true }).fill("short");
    await expectLanguage(page);
    await screenshotBothSchemes(page, shots("4-password"));
    await page.close();
  }, SLOW);

  it("shows the options page", async () => {
    const page = await browser.open("options.html");
    await page.getByRole("heading", { level: 1 }).waitFor();
    await expectLanguage(page);
    await screenshotBothSchemes(page, shots("5-options"));
    await page.close();
  }, SLOW);

  it("prompts on the sign-in page in the browser's language, and the registration page follows it", async () => {
    const count = say("accessEnableMany").replace(/[.*+?^${}()|[\]\\]/g, "\\$&").replace("\\$COUNT\\$", "\\d+");
    await enableSignInPrompts(browser, { enable: new RegExp(count), on: say("accessAllOn"), shotPrefix: shots("6-options-access") });
    const demo = await DemoSignIn.open(browser, worker.url);
    await demo.signIn(SAM.username, SAM.password);
    const prompt = await demo.prompt.waitFor();
    expect(prompt.title).toBe(say("promptRequiredTitle"));
    expect(prompt.buttons).toContain(say("promptSetUp"));
    await demo.shot(shots("7-prompt"));

    const opened = browser.context.waitForEvent("page");
    await demo.prompt.click(say("promptSetUp"));
    const registration = await opened;
    await registration.setViewportSize({ width: 900, height: 900 });
    await registration.getByRole("heading", { level: 1 }).filter({ hasText: say("regSetupTitle") }).waitFor();
    await expectLanguage(registration);
    await screenshotBothSchemes(registration, shots("8-registration"));
  }, SLOW);
});
