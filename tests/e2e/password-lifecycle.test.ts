import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { api, nextCode, seenCodes, signIn } from "./support/api.js";
import { launchWithExtension, type ExtensionBrowser } from "./support/browser.js";
import { ChangePasswordPage } from "./support/change-password-page.js";
import { DemoSignIn, enableSignInPrompts } from "./support/signin-page.js";
import { WizardPage } from "./support/wizard-page.js";
import { startTestWorker, type TestWorker } from "./support/worker.js";

// Demo accounts (scripts/seed-demo.ts): Jane has a registered email.
const ADMIN = { username: "admin@demo.example", password: "staple-orbit-lantern-42" };
const JANE = { username: "jane@demo.example", password: "harbor-pepper-canvas-88" };
const NEW_HIRE = { username: "noah@demo.example", displayName: "Noah Novak" };
const NOAH_PASSWORD = "pebble-orchard-violin-53";
const NOAH_SECOND = "saffron-canyon-teapot-26";
const JANE_SECOND = "maple-thunder-origami-47";
const JANE_THIRD = "cobalt-pillow-harvest-85";

/**
 * Issue 15 end to end: an admin's temporary password replaced through the sign-in prompt and the
 * change-password page it opens; the change-password page from the popup; the wizard's unlock path.
 */
describe("password lifecycle, in Chromium against the worker", () => {
  let worker: TestWorker;
  let browser: ExtensionBrowser;
  let temporary = "";

  beforeAll(async () => {
    [worker, browser] = await Promise.all([startTestWorker(), launchWithExtension()]);
    await browser.useWorker(worker.url);
    await enableSignInPrompts(browser);
  });
  afterAll(async () => {
    await browser?.close();
    await worker?.stop();
  });

  it("an admin creates Noah with a temporary password", async () => {
    const token = await signIn(worker.url, ADMIN.username, ADMIN.password);
    const created = await api<{ temporaryPassword: string; user: { mustChangePassword: boolean } }>(worker.url, "POST", "/v1/admin/users", NEW_HIRE, token);
    expect(created.status).toBe(201);
    expect(created.body.user.mustChangePassword).toBe(true);
    temporary = created.body.temporaryPassword;
  });

  it("signing in with it prompts to change it; the page the prompt opens replaces it", async () => {
    const demo = await DemoSignIn.open(browser, worker.url);
    await demo.signIn(NEW_HIRE.username, temporary);
    const seen = await demo.prompt.waitFor();
    expect(seen.title).toBe("Choose your own password");
    // No "Not now": a temporary password can't be put off.
    expect(seen.buttons).toEqual(["Close this message", "Change your password now"]);
    await demo.shot("prompt-temporary-password");

    const opened = browser.context.waitForEvent("page");
    await demo.prompt.click("Change your password now");
    const page = new ChangePasswordPage(await opened);
    // The session reached the page through the background: nothing in its address.
    expect(page.page.url()).toBe(`chrome-extension://${browser.extensionId}/change-password.html`);
    await page.expectHeading("Choose your own password");
    expect(await page.page.getByText(`For ${NEW_HIRE.username}`).count()).toBe(1);
    await page.shot("temporary");

    await page.fill({ label: "Temporary password", value: "not-the-temporary-one" }, NOAH_PASSWORD);
    await page.submit();
    await page.alert().filter({ hasText: "Your current password isn't right." }).waitFor();
    await page.shot("temporary-wrong-current");

    await page.fill({ label: "Temporary password", value: temporary }, NOAH_PASSWORD);
    await page.shot("temporary-filled");
    await page.submit();
    await page.expectHeading("Password changed");
    await page.shot("done");
    await page.page.getByRole("button", { name: "Close" }).click();
    await demo.page.close();

    // The temporary password is gone; the new one signs in to a normal session.
    expect((await api(worker.url, "POST", "/v1/sessions", { username: NEW_HIRE.username, password: temporary })).status).toBe(401);
    const after = await api<{ user: { mustChangePassword: boolean } }>(worker.url, "POST", "/v1/sessions", { username: NEW_HIRE.username, password: NOAH_PASSWORD });
    expect(after.status).toBe(201);
    expect(after.body.user.mustChangePassword).toBe(false);
  });

  it("the popup's 'Change a password you know' opens the page, which signs in for the change", async () => {
    const popup = await browser.open("popup.html");
    await popup.getByRole("heading", { level: 1, name: "Reset your password" }).waitFor();
    await new WizardPage(popup, "lifecycle").shot("username-with-purpose");
    const opened = browser.context.waitForEvent("page");
    await popup.getByRole("button", { name: "Change a password you know" }).click();
    const page = new ChangePasswordPage(await opened);
    await page.expectHeading("Change your password");
    await page.shot("from-popup");
    await page.page.getByLabel("Username", { exact: true }).fill(NEW_HIRE.username);
    await page.fill({ label: "Current password", value: NOAH_PASSWORD }, NOAH_SECOND);
    await page.submit();
    await page.expectHeading("Password changed");
    await page.page.close();
    expect((await api(worker.url, "POST", "/v1/sessions", { username: NEW_HIRE.username, password: NOAH_SECOND })).status).toBe(201);
  });

  it("unlocks Jane, locked out by wrong passwords, without changing her password", async () => {
    let status = 0;
    for (let i = 0; i < 12 && status !== 429; i++) {
      status = (await api(worker.url, "POST", "/v1/sessions", { username: JANE.username, password: `wrong-guess-number-${i}` })).status;
    }
    expect(status).toBe(429);
    expect((await api(worker.url, "POST", "/v1/sessions", JANE)).status).toBe(429);

    const seen = await seenCodes(worker.url, JANE.username);
    const wizard = new WizardPage(await browser.open("popup.html"), "unlock");
    await wizard.enterUsername(JANE.username);
    await wizard.page.getByRole("radio", { name: "I know my password, but I can't sign in" }).check();
    await wizard.shot("1-username");
    await wizard.page.getByRole("button", { name: "Continue" }).click();
    await wizard.expectHeading("Prove it's you");
    await wizard.chooseMethod(/email/i);
    await wizard.submitMethod("Send code");
    await wizard.enterCode(await nextCode(worker.url, JANE.username, seen));
    await wizard.verify();
    await wizard.expectHeading("Unlock your account");
    expect(await wizard.progressText()).toBe("Step 3 of 3");
    await wizard.shot("2-unlock");
    await wizard.page.getByRole("button", { name: "Unlock my account" }).click();
    await wizard.expectHeading("Your account is unlocked");
    await wizard.shot("3-unlocked");
    await wizard.page.close();

    // Her own password works again at once.
    expect((await api(worker.url, "POST", "/v1/sessions", JANE)).status).toBe(201);
  });

  const patchPolicy = async (patch: object) => {
    const token = await signIn(worker.url, ADMIN.username, ADMIN.password);
    const res = await api(worker.url, "PATCH", "/v1/admin/policy", patch, token);
    expect(res.status).toBe(200);
  };

  it("says in words when unlocking was turned off while the user was proving it's them (409)", async () => {
    const seen = await seenCodes(worker.url, JANE.username);
    const wizard = new WizardPage(await browser.open("popup.html"), "unlock-refused");
    await wizard.enterUsername(JANE.username);
    await wizard.page.getByRole("radio", { name: "I know my password, but I can't sign in" }).check();
    await wizard.page.getByRole("button", { name: "Continue" }).click();
    await wizard.expectHeading("Prove it's you");
    await wizard.chooseMethod(/email/i);
    await wizard.submitMethod("Send code");
    await wizard.enterCode(await nextCode(worker.url, JANE.username, seen));
    await wizard.verify();
    await wizard.expectHeading("Unlock your account");
    await patchPolicy({ selfServiceReset: { allowUnlock: false } });
    await wizard.page.getByRole("button", { name: "Unlock my account" }).click();
    await wizard.expectHeading("Unlocking isn't available");
    expect(await wizard.page.getByRole("alert").textContent()).toContain('choose "I forgot my password"');
    await wizard.shot("problem");
    await wizard.page.close();
  });

  it("offers no unlock choice when the policy turns unlocking off", async () => {
    const wizard = new WizardPage(await browser.open("popup.html"), "unlock-off");
    await wizard.expectHeading("Reset your password");
    expect(await wizard.page.getByRole("radio").count()).toBe(0);
    await wizard.shot("username");
    await wizard.page.close();
    await patchPolicy({ selfServiceReset: { allowUnlock: true } });
  });

  it("warns Jane her password expires in 14 days once the policy sets expiry, and the prompt's page changes it", async () => {
    await patchPolicy({ passwordPolicy: { expiry: { days: 14, notifyDaysBefore: 14 } } });
    const demo = await DemoSignIn.open(browser, worker.url);
    await demo.signIn(JANE.username, JANE.password);
    const seen = await demo.prompt.waitFor();
    expect(seen.title).toBe("Your password expires in 14 days");
    expect(seen.buttons).toEqual(["Close this message", "Change your password now", "Not now"]);
    await demo.shot("prompt-password-expiring");

    const opened = browser.context.waitForEvent("page");
    await demo.prompt.click("Change your password now");
    const page = new ChangePasswordPage(await opened);
    await page.expectHeading("Change your password");
    await page.shot("expiring");
    await page.fill({ label: "Current password", value: JANE.password }, JANE_SECOND);
    await page.submit();
    await page.expectHeading("Password changed");
    await page.page.close();

    // Signing in again the same day: no second notice.
    await demo.reload();
    await demo.signIn(JANE.username, JANE_SECOND);
    await demo.expectNoPrompt();
    await demo.page.close();
  });

  it("an expired password signs in only to be changed: the prompt says so and its page replaces it", async () => {
    expect((await api(worker.url, "POST", "/v1/dev/clock", { offsetSeconds: 15 * 86_400 })).status).toBe(200);
    try {
      const demo = await DemoSignIn.open(browser, worker.url);
      await demo.signIn(JANE.username, JANE_SECOND);
      const seen = await demo.prompt.waitFor();
      expect(seen.title).toBe("Your password has expired");
      expect(seen.buttons).toEqual(["Close this message", "Change your password now"]);
      await demo.shot("prompt-password-expired");
      const opened = browser.context.waitForEvent("page");
      await demo.prompt.click("Change your password now");
      const page = new ChangePasswordPage(await opened);
      await page.expectHeading("Your password has expired");
      await page.shot("expired");
      await page.fill({ label: "Current password", value: JANE_SECOND }, JANE_THIRD);
      await page.submit();
      await page.expectHeading("Password changed");
      await page.page.close();
      await demo.page.close();
      const after = await api<{ user: { passwordExpired: boolean } }>(worker.url, "POST", "/v1/sessions", { username: JANE.username, password: JANE_THIRD });
      expect(after.status).toBe(201);
      expect(after.body.user.passwordExpired).toBe(false);
    } finally {
      await api(worker.url, "POST", "/v1/dev/clock", { offsetSeconds: 0 });
    }
  });
});
