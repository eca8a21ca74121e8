import type { Page } from "playwright-core";
import { screenshotBothSchemes } from "./browser.js";

/**
 * The popup as a user drives it, by visible labels and roles only (so the test also proves the
 * wizard is labelled for assistive technology). Every step is photographed in light and dark.
 */
export class WizardPage {
  constructor(
    readonly page: Page,
    private readonly shotPrefix: string,
  ) {}

  async shot(name: string): Promise<void> {
    await screenshotBothSchemes(this.page, `${this.shotPrefix}-${name}`);
  }

  heading() {
    return this.page.getByRole("heading", { level: 1 });
  }

  async expectHeading(text: string | RegExp): Promise<void> {
    await this.heading().filter({ hasText: text }).waitFor({ timeout: 15_000 });
  }

  async progressText(): Promise<string> {
    return (await this.page.locator(".progress").textContent()) ?? "";
  }

  async enterUsername(username: string): Promise<void> {
    await this.expectHeading("Reset your password");
    await this.page.getByLabel("Username", { exact: true }).fill(username);
  }

  /** Enter in the field submits: the whole wizard is driven from the keyboard here. */
  async submitUsername(): Promise<void> {
    await this.page.getByLabel("Username", { exact: true }).press("Enter");
  }

  async chooseMethod(label: RegExp): Promise<void> {
    // Keyboard only: focus the radio and select it with the space bar, as a keyboard user would.
    await this.page.getByRole("radio", { name: label }).focus();
    await this.page.keyboard.press("Space");
  }

  /** From the chosen radio, Tab reaches the step's button (the radio group is one tab stop). */
  async submitMethod(button: "Send code" | "Continue"): Promise<void> {
    await this.page.keyboard.press("Tab");
    const focused = await this.page.evaluate(() => document.activeElement?.textContent);
    if (focused !== button) throw new Error(`Tab from the methods reached "${focused}", not "${button}"`);
    await this.page.keyboard.press("Enter");
  }

  async enterCode(code: string): Promise<void> {
    await this.page.getByLabel("Code", { exact: true }).fill(code);
  }

  async verify(): Promise<void> {
    await this.page.getByRole("button", { name: "Verify" }).press("Enter");
  }

  async enterPassword(password: string): Promise<void> {
    await this.expectHeading("Choose a new password");
    await this.page.getByLabel("New password", { exact: true }).fill(password);
  }

  async submitPassword(): Promise<void> {
    await this.page.getByLabel("New password", { exact: true }).press("Enter");
    await this.expectHeading("Password changed");
  }
}
