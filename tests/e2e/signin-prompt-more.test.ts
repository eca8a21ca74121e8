import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { api, currentStep, signIn, totpAt } from "./support/api.js";
import { launchWithExtension, type ExtensionBrowser } from "./support/browser.js";
import { RegistrationPage } from "./support/registration-page.js";
import { DemoSignIn, enableSignInPrompts } from "./support/signin-page.js";
import { startTestWorker, type TestWorker } from "./support/worker.js";

// Demo accounts (scripts/seed-demo.ts): Jane has one email method, the admin none.
const JANE = { username: "jane@demo.example", password: "harbor-pepper-canvas-88" };
const ADMIN = { username: "admin@demo.example", password: "staple-orbit-lantern-42" };

/**
 * Issue 16: a user who has some methods but fewer than the policy asks for is asked for the missing
 * one, not to "set up" recovery; and a prompt left open in an older tab closes once that user has
 * finished registering from another tab. An app left unnamed reads "Authenticator app" once.
 */
describe("sign-in prompt for a user with too few methods, in Chromium against the worker", () => {
  let worker: TestWorker;
  let browser: ExtensionBrowser;

  beforeAll(async () => {
    [worker, browser] = await Promise.all([startTestWorker(), launchWithExtension()]);
    await browser.useWorker(worker.url);
    await enableSignInPrompts(browser);
    const token = await signIn(worker.url, ADMIN.username, ADMIN.password);
    expect((await api(worker.url, "PATCH", "/v1/admin/policy", { methods: { required: 2 } }, token)).status).toBe(200);
  });
  afterAll(async () => {
    await browser?.close();
    await worker?.stop();
  });

  it("asks Jane, who has one method of two, for one more; the prompt in an older tab closes once she adds it in another", async () => {
    const older = await DemoSignIn.open(browser, worker.url);
    expect(await older.signIn(JANE.username, JANE.password)).toBe("Signed in as Jane Doe.");
    const seen = await older.prompt.waitFor();
    expect(seen.title).toBe("Add one more recovery method");
    expect(seen.text).toContain("Demo Org asks for more than one way to prove it's you");
    await older.shot("prompt-add-one-more");

    const newer = await DemoSignIn.open(browser, worker.url);
    expect(await newer.signIn(JANE.username, JANE.password)).toBe("Signed in as Jane Doe.");
    await newer.prompt.waitFor();
    const opened = browser.context.waitForEvent("page");
    await newer.prompt.click("Set up now");
    const reg = new RegistrationPage(await opened);
    await reg.expectHeading("Set up password recovery");
    // An authenticator app left unnamed: a second kind of method completes the registration.
    await reg.add("Add an authenticator app");
    await reg.expectHeading("Add an authenticator app");
    await reg.page.getByRole("button", { name: "Continue" }).click();
    await reg.page.getByRole("img", { name: "QR code to add this account to your authenticator app" }).waitFor();
    const secret = await reg.totpSecret();
    // Until the registration is complete, the older tab's prompt still asks for something real.
    expect(await older.page.locator("opensspr-prompt").count()).toBe(1);
    await reg.enterCode(totpAt(secret, currentStep()));
    await reg.expectHeading("Your recovery info");
    // Named once: the type, and no hint repeating it.
    const app = reg.page.locator(".method-row").filter({ hasText: "Authenticator app" });
    expect(await app.locator(".method-hint").count()).toBe(0);
    expect(await reg.page.getByRole("button", { name: "Remove Authenticator app", exact: true }).count()).toBe(1);
    await reg.shot("unnamed-app");

    await older.prompt.gone();
    await older.page.close();
    await newer.page.close();
    await reg.page.close();
  });
});
