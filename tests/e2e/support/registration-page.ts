import type { Page } from "playwright-core";
import { screenshotBothSchemes } from "./browser.js";

/**
 * The extension's registration page as a user drives it, by visible labels and roles only. Every
 * screen is photographed in light and dark (test-results/e2e/registration-*).
 */
export class RegistrationPage {
  constructor(readonly page: Page) {}

  async shot(name: string): Promise<void> {
    await this.page.setViewportSize({ width: 900, height: 900 });
    await screenshotBothSchemes(this.page, `registration-${name}`);
  }

  async expectHeading(text: string | RegExp): Promise<void> {
    await this.page.getByRole("heading", { level: 1 }).filter({ hasText: text }).waitFor({ timeout: 15_000 });
  }

  status() {
    return this.page.getByRole("status");
  }

  alert() {
    return this.page.getByRole("alert");
  }

  async add(label: "Add an email address" | "Add a mobile phone" | "Add an authenticator app" | "Set up security questions"): Promise<void> {
    await this.page.getByRole("button", { name: label }).click();
  }

  async enterCode(code: string): Promise<void> {
    await this.page.getByLabel(/^Code/).fill(code);
    await this.page.getByRole("button", { name: "Verify" }).click();
  }

  /** The key shown beside the QR code, without the grouping spaces. */
  async totpSecret(): Promise<string> {
    return ((await this.page.locator("code.secret").textContent()) ?? "").replace(/\s+/g, "");
  }
}
