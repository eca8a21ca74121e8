import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEMO_ACCOUNTS } from "../../scripts/seed-demo.js";
import { api, signIn } from "./support/api.js";
import { expectNoSeriousA11yViolations } from "./support/axe.js";
import { screenshotBothSchemes } from "./support/browser.js";
import { launchForWebPages, type WebBrowser } from "./support/web-browser.js";
import { startTestWorker, type TestWorker } from "./support/worker.js";

/**
 * Issue 15 item 4 on the worker's web pages: /change-password, the extension's change-password screen
 * for someone without the extension; also where a temporary password from an admin gets replaced.
 */

const account = (username: string) => DEMO_ACCOUNTS.find((a) => a.username === username)!;
const admin = account("admin@demo.example");
const sam = account("sam@demo.example");
const NEW_PASSWORD = "orchid-lantern-basalt-62";

let worker: TestWorker;
let browser: WebBrowser;

beforeAll(async () => {
  [worker, browser] = await Promise.all([startTestWorker(), launchForWebPages()]);
});

afterAll(async () => {
  await browser?.close();
  await worker?.stop();
});

/** Reduced motion: axe must not measure a button's contrast half-way through its colour transition. */
async function open(width: number): Promise<Page> {
  const page = await browser.open(`${worker.url}/change-password`, width);
  await page.emulateMedia({ reducedMotion: "reduce" });
  await page.getByRole("heading", { level: 1, name: "Change your password" }).waitFor();
  return page;
}

async function check(page: Page, screen: string): Promise<void> {
  await expectNoSeriousA11yViolations(page, screen);
  await screenshotBothSchemes(page, `web-change-password-${screen}`);
}

describe("replacing a temporary password on /change-password", () => {
  it("takes the admin's temporary password, refuses a wrong one, and sets the new one", async () => {
    const adminToken = await signIn(worker.url, admin.username, admin.password);
    const set = await api<{ temporaryPassword: string }>(worker.url, "POST", `/v1/admin/users/${sam.id}/password`, {}, adminToken);
    expect(set.status).toBe(200);
    const temporary = set.body.temporaryPassword;

    const wide = await open(1280);
    await check(wide, "form-1280");
    await wide.close();

    const page = await open(360);
    // The first field has focus: a keyboard user types and tabs through the form.
    await page.keyboard.type(sam.username);
    await page.keyboard.press("Tab");
    await page.keyboard.type("not-the-temporary-one");
    await page.getByLabel("New password", { exact: true }).fill(NEW_PASSWORD);
    await page.getByRole("button", { name: "Change password" }).press("Enter");
    await page.getByRole("alert").filter({ hasText: "That username or current password isn't right. Check them and try again." }).waitFor();
    // The refused password is emptied and focused for another try.
    expect(await page.getByLabel("Current password", { exact: true }).inputValue()).toBe("");
    await check(page, "wrong-current");

    await page.keyboard.type(temporary);
    await page.getByLabel("New password", { exact: true }).press("Enter");
    await page.getByRole("heading", { level: 1, name: "Password changed" }).waitFor();
    await check(page, "done");
    expect(await page.evaluate(() => sessionStorage.length + localStorage.length)).toBe(0);
    await page.close();

    const token = await signIn(worker.url, sam.username, NEW_PASSWORD);
    const me = await api<{ user: { mustChangePassword: boolean } }>(worker.url, "GET", "/v1/me", undefined, token);
    expect(me.body.user.mustChangePassword).toBe(false);
    expect((await api(worker.url, "POST", "/v1/sessions", { username: sam.username, password: temporary })).status).toBe(401);
  });
});
