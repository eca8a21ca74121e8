import type { Page } from "playwright-core";
import { screenshotBothSchemes } from "./browser.js";

/** The extension's change-password page as a user drives it, by labels and roles; each screen shot light and dark. */
export class ChangePasswordPage {
  constructor(readonly page: Page) {}

  async shot(name: string): Promise<void> {
    await this.page.setViewportSize({ width: 900, height: 900 });
    await screenshotBothSchemes(this.page, `change-password-${name}`);
  }

  async expectHeading(text: string | RegExp): Promise<void> {
    await this.page.getByRole("heading", { level: 1 }).filter({ hasText: text }).waitFor({ timeout: 15_000 });
  }

  alert() {
    return this.page.getByRole("alert");
  }

  async fill(current: { label: string; value: string }, newPassword: string): Promise<void> {
    await this.page.getByLabel(current.label, { exact: true }).fill(current.value);
    await this.page.getByLabel("New password", { exact: true }).fill(newPassword);
  }

  async submit(): Promise<void> {
    await this.page.getByRole("button", { name: "Change password" }).click();
  }
}
