import { readFileSync } from "node:fs";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEMO_ACCOUNTS } from "../../scripts/seed-demo.js";
import { api, nextCode, seenCodes, signIn } from "./support/api.js";
import { expectNoSeriousA11yViolations } from "./support/axe.js";
import { screenshotBothSchemes } from "./support/browser.js";
import { launchForWebPages, type WebBrowser } from "./support/web-browser.js";
import { startTestWorker, type TestWorker } from "./support/worker.js";

/**
 * Issue 14's /reset: the extension's wizard served by the worker, for someone without the extension.
 * At 360 px (a phone), driven by labels, roles and the keyboard; every screen checked with axe and
 * photographed in light and dark.
 */

// Jane has a verified email method from the seed.
const jane = DEMO_ACCOUNTS.find((a) => a.username === "jane@demo.example")!;
const NEW_PASSWORD = "amber-falcon-ledger-53";
const PHONE = 360;

let worker: TestWorker;
let browser: WebBrowser;

beforeAll(async () => {
  [worker, browser] = await Promise.all([startTestWorker(), launchForWebPages()]);
});

afterAll(async () => {
  await browser?.close();
  await worker?.stop();
});

const heading = (page: Page) => page.getByRole("heading", { level: 1 });

/** Waits for the screen titled `name`; on another screen, fails with what that screen says. */
async function expectHeading(page: Page, name: string): Promise<void> {
  try {
    await page.getByRole("heading", { level: 1, name }).waitFor({ timeout: 10_000 });
  } catch {
    throw new Error(`expected the screen "${name}", found: ${await page.locator("body").innerText()}`);
  }
}

/**
 * A tab at `path`, phone-wide. Reduced motion: the screenshots switch the colour scheme back to light
 * and axe must not measure a button's contrast half-way through its colour transition.
 */
async function open(path: string): Promise<Page> {
  const page = await browser.open(`${worker.url}${path}`, PHONE);
  await page.emulateMedia({ reducedMotion: "reduce" });
  return page;
}

/** The screen as a person meets it: no serious accessibility fault, then a photo in each scheme. */
async function check(page: Page, screen: string): Promise<void> {
  await expectNoSeriousA11yViolations(page, screen);
  await screenshotBothSchemes(page, `web-reset-${screen}`);
}

describe("the reset page's HTML", () => {
  it("is served with a CSP that allows only the origin's own files, and is never cached", async () => {
    for (const path of ["/reset", "/change-password"]) {
      const res = await fetch(`${worker.url}${path}`);
      expect(res.status).toBe(200);
      const csp = res.headers.get("content-security-policy") ?? "";
      expect(csp).toContain("script-src 'self'");
      expect(csp).toContain("connect-src 'self'");
      expect(csp).not.toContain("unsafe-inline");
      expect(res.headers.get("cache-control")).toBe("no-store");
      const html = await res.text();
      expect(html).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/);
    }
  });
});

describe("resetting a forgotten password on /reset", () => {
  it("is linked from the demo sign-in page as \"Forgot your password?\"", async () => {
    const page = await open("/demo/login");
    await check(page, "0-demo-signin");
    await page.getByRole("link", { name: "Forgot your password?" }).click();
    await page.waitForURL(`${worker.url}/reset`);
    await expectHeading(page, "Reset your password");
    expect(await page.title()).toBe("Reset your password");
    await page.close();
  });

  it("resets Jane's password with a code by email, with the keyboard, and she signs in with it", async () => {
    const seen = await seenCodes(worker.url, jane.username);
    const page = await open("/reset");
    await expectHeading(page, "Reset your password");
    // The first field has focus: a keyboard user types at once.
    await page.keyboard.type(jane.username);
    expect(await page.getByLabel("Username", { exact: true }).inputValue()).toBe(jane.username);
    expect(await page.getByRole("radio", { name: "I forgot my password" }).isChecked()).toBe(true);
    await check(page, "1-username");
    await page.keyboard.press("Enter");

    await expectHeading(page, "Prove it's you");
    await page.getByRole("radio", { name: /Email a code/ }).focus();
    await page.keyboard.press("Space");
    await check(page, "2-choose");
    await page.getByRole("button", { name: "Send code" }).press("Enter");

    await expectHeading(page, "Check your email");
    const code = await nextCode(worker.url, jane.username, seen);
    // A reload (the user came back from their mail) keeps the reset: it lives in this tab's session storage.
    await page.reload();
    await expectHeading(page, "Check your email");
    await check(page, "3-code");
    await page.getByLabel("Code", { exact: true }).fill(code === "00000000" ? "11111111" : "00000000");
    await page.keyboard.press("Enter");
    await page.getByRole("alert").filter({ hasText: /That code isn't right\. You have \d+ attempts? left\./ }).waitFor();
    await check(page, "3b-wrong-code");
    await page.getByLabel("Code", { exact: true }).fill(code);
    await page.keyboard.press("Enter");

    await expectHeading(page, "Choose a new password");
    const password = page.getByLabel("New password", { exact: true });
    await password.fill("short");
    const rules = page.getByRole("list").filter({ hasText: /characters/ });
    expect(await rules.textContent()).toContain("(not yet)");
    await check(page, "4-password-weak");
    await password.fill(NEW_PASSWORD);
    await check(page, "4-password-ok");
    await password.press("Enter");

    await expectHeading(page, "Password changed");
    await check(page, "5-done");
    // Nothing of the reset outlives it in the page's storage.
    expect(await page.evaluate(() => sessionStorage.length + localStorage.length)).toBe(0);
    await page.close();

    await signIn(worker.url, jane.username, NEW_PASSWORD);
    expect((await api(worker.url, "POST", "/v1/sessions", { username: jane.username, password: jane.password })).status).toBe(401);
  });

  it("unlocks Jane's locked account without changing her password", async () => {
    const seen = await seenCodes(worker.url, jane.username);
    // Smart lockout counts a repeated wrong password once: a different guess each time.
    let locked = 0;
    for (let i = 0; i < 12 && locked !== 429; i++) locked = (await api(worker.url, "POST", "/v1/sessions", { username: jane.username, password: `wrong-guess-${i}` })).status;
    expect(locked).toBe(429);

    const page = await open("/reset");
    await expectHeading(page, "Reset your password");
    await page.keyboard.type(jane.username);
    await page.getByRole("radio", { name: "I know my password, but I can't sign in" }).check();
    await page.getByRole("button", { name: "Continue" }).press("Enter");
    await expectHeading(page, "Prove it's you");
    await page.getByRole("radio", { name: /Email a code/ }).check();
    await page.getByRole("button", { name: "Send code" }).press("Enter");
    await expectHeading(page, "Check your email");
    await page.getByLabel("Code", { exact: true }).fill(await nextCode(worker.url, jane.username, seen));
    await page.keyboard.press("Enter");

    await expectHeading(page, "Unlock your account");
    await check(page, "6-unlock");
    await page.getByRole("button", { name: "Unlock my account" }).press("Enter");
    await expectHeading(page, "Your account is unlocked");
    await check(page, "7-unlocked");
    await page.close();

    await signIn(worker.url, jane.username, NEW_PASSWORD);
  });

  it("shows an unknown username exactly what it shows a known user without methods (api.md Unavailable)", async () => {
    const sam = DEMO_ACCOUNTS.find((a) => a.username === "sam@demo.example")!;
    const screenFor = async (username: string, shot?: string) => {
      const page = await open("/reset");
      await expectHeading(page, "Reset your password");
      await page.getByLabel("Username", { exact: true }).fill(username);
      await page.keyboard.press("Enter");
      await expectHeading(page, "Can't reset this password");
      if (shot) await check(page, shot);
      const text = await page.locator("body").innerText();
      await page.close();
      return text;
    };
    const known = await screenFor(sam.username, "unavailable");
    expect(await screenFor("nobody-at-all@demo.example")).toBe(known);
    expect(known).toContain("it-help@demo.example");
  });

  it("leads a user who knows their password to /change-password", async () => {
    const page = await open("/reset");
    await expectHeading(page, "Reset your password");
    await page.getByRole("button", { name: "Change a password you know" }).click();
    await page.waitForURL(`${worker.url}/change-password`);
    await expectHeading(page, "Change your password");
    await page.close();
  });
});

describe("/reset in a browser set to Arabic", () => {
  it("speaks Arabic and lays out right to left", async () => {
    const arabic = await launchForWebPages({ locale: "ar" });
    try {
      const messages = JSON.parse(readFileSync(new URL("../../extension/public/_locales/ar/messages.json", import.meta.url), "utf8")) as Record<string, { message: string }>;
      const page = await arabic.open(`${worker.url}/reset`, PHONE);
      await page.emulateMedia({ reducedMotion: "reduce" });
      await expectHeading(page, messages.actionTitle!.message);
      expect(await page.evaluate(() => [document.documentElement.lang, document.documentElement.dir])).toEqual(["ar", "rtl"]);
      await check(page, "ar-1-username");
    } finally {
      await arabic.close();
    }
  });
});
