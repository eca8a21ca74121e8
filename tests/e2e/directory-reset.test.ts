import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { seenCodes, nextCode } from "./support/api.js";
import { launchWithExtension, screenshotBothSchemes, type ExtensionBrowser } from "./support/browser.js";
import { ChangePasswordPage } from "./support/change-password-page.js";
import { WizardPage } from "./support/wizard-page.js";
import type { DirectoryUser } from "../directory/support/directory-types.js";
import { workerUser } from "../directory/support/flows.js";
import { startSlapd, type SlapdServer } from "../directory/support/slapd.js";
import { startDirectoryStack, type DirectoryStack } from "../directory/support/stack.js";

/**
 * The toolbar wizard resetting a password that lives in OpenLDAP: the extension talks to the worker,
 * the worker to the agent, the agent to a real slapd; the test ends with a bind, as any app would.
 */
describe("toolbar reset wizard for a directory user, in Chromium", () => {
  let directory: SlapdServer;
  let stack: DirectoryStack;
  let browser: ExtensionBrowser;
  let dave: DirectoryUser;
  let login = "";

  beforeAll(async () => {
    // ppolicy asks for 18 characters; the worker's own policy asks for 15.
    directory = await startSlapd({ policy: { minLength: 18 } });
    [stack, browser] = await Promise.all([startDirectoryStack(directory, { alternateEmailAttribute: "mail" }), launchWithExtension()]);
    dave = directory.user("dave");
    login = (await workerUser(stack, dave.displayName)).username;
    const options = await browser.open("options.html");
    await options.getByLabel("Password reset service address").fill(stack.worker.url);
    await options.getByRole("button", { name: "Check and save" }).click();
    await options.getByRole("status").filter({ hasText: "Connected to" }).waitFor();
    await options.close();
  });
  afterAll(async () => {
    await browser?.close();
    await stack?.stop();
    await directory?.stop();
  });

  async function wizardAtPasswordStep(prefix: string): Promise<WizardPage> {
    const seen = await seenCodes(stack.worker.url, dave.mail);
    const wizard = new WizardPage(await browser.open("popup.html"), prefix);
    await wizard.enterUsername(login);
    await wizard.submitUsername();
    await wizard.expectHeading("Prove it's you");
    await wizard.chooseMethod(/Email a code/);
    await wizard.submitMethod("Send code");
    await wizard.expectHeading("Check your email");
    await wizard.enterCode(await nextCode(stack.worker.url, dave.mail, seen));
    await wizard.verify();
    return wizard;
  }

  it("shows the directory's refusal in plain words, then sets a password the directory accepts", async () => {
    const wizard = await wizardAtPasswordStep("directory-reset");
    await wizard.enterPassword("Sixteen-Chars-42");
    await wizard.page.getByLabel("New password", { exact: true }).press("Enter");
    const alert = wizard.page.getByRole("alert");
    await alert.filter({ hasText: /directory/i }).waitFor();
    expect(await alert.textContent()).not.toMatch(/LDAP|constraint|\b19\b/i);
    await wizard.shot("refused-by-directory");
    expect(await directory.canBind(dave.dn, dave.password)).toBe(true);

    const accepted = "Saffron-Lighthouse-Meadow-84";
    await wizard.enterPassword(accepted);
    await wizard.submitPassword();
    await wizard.shot("done");
    await wizard.page.close();
    expect(await directory.canBind(dave.dn, accepted)).toBe(true);
    expect(await directory.canBind(dave.dn, dave.password)).toBe(false);
    dave.password = accepted;
  });

  it("changes a password the user knows from the popup's page, in the directory, after its refusal", async () => {
    const popup = await browser.open("popup.html");
    const opened = browser.context.waitForEvent("page");
    await popup.getByRole("button", { name: "Change a password you know" }).click();
    const page = new ChangePasswordPage(await opened);
    await page.expectHeading("Change your password");
    await page.page.getByLabel("Username", { exact: true }).fill(login);
    await page.fill({ label: "Current password", value: dave.password }, "Sixteen-Chars-77");
    await page.submit();
    await page.alert().filter({ hasText: /directory/i }).waitFor();
    await page.shot("refused-by-directory");
    expect(await directory.canBind(dave.dn, dave.password)).toBe(true);

    const changed = "Juniper-Tidewater-Compass-58";
    await page.page.getByLabel("New password", { exact: true }).fill(changed);
    await page.submit();
    await page.expectHeading("Password changed");
    await page.page.close();
    await popup.close();
    expect(await directory.canBind(dave.dn, changed)).toBe(true);
    expect(await directory.canBind(dave.dn, dave.password)).toBe(false);
    dave.password = changed;
  });

  it("says the directory can't be reached, and changes nothing, while the agent is stopped", async () => {
    const wizard = await wizardAtPasswordStep("directory-unavailable");
    await stack.agent.stop();
    const attempted = "Cobalt-Orchard-Lantern-19";
    await wizard.enterPassword(attempted);
    await wizard.page.getByLabel("New password", { exact: true }).press("Enter");
    await wizard.page.getByText(/directory can't be reached/).waitFor();
    await screenshotBothSchemes(wizard.page, "directory-unavailable-wizard");
    await wizard.page.close();
    expect(await directory.canBind(dave.dn, attempted)).toBe(false);
    expect(await directory.canBind(dave.dn, dave.password)).toBe(true);
    await stack.restartAgent();
  });
});
