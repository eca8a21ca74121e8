import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEMO_ACCOUNTS } from "../../scripts/seed-demo.js";
import type { Policy } from "../../shared/policy/schema.js";
import { api, signIn } from "./support/api.js";
import { expectNoSeriousA11yViolations } from "./support/axe.js";
import { screenshotBothSchemes } from "./support/browser.js";
import { launchForWebPages, type WebBrowser } from "./support/web-browser.js";
import { startTestWorker, type TestWorker } from "./support/worker.js";

const account = (username: string) => DEMO_ACCOUNTS.find((a) => a.username === username)!;
const admin = account("admin@demo.example");
const helpdesk = account("helpdesk@demo.example");

let worker: TestWorker;
let browser: WebBrowser;

beforeAll(async () => {
  worker = await startTestWorker();
  browser = await launchForWebPages();
});

afterAll(async () => {
  await browser?.close();
  await worker?.stop();
});

async function openPolicyAs(username: string, password: string, width = 1280): Promise<Page> {
  const page = await browser.open(`${worker.url}/admin/policy`, width);
  await page.getByLabel("Username").fill(username);
  await page.getByLabel("Password", { exact: true }).fill(password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.getByRole("heading", { name: "Policy", exact: true }).waitFor();
  await page.getByLabel("Minimum length").waitFor();
  return page;
}

const currentPolicy = async () => (await api<Policy>(worker.url, "GET", "/v1/admin/policy", undefined, await signIn(worker.url, admin.username, admin.password))).body;

describe("the policy page", () => {
  it("shows every group, checks values as they are typed, and saves with If-Match", async () => {
    const page = await openPolicyAs(admin.username, admin.password);
    for (const title of ["Who can reset", "Methods", "Registration", "Notifications", "Password rules", "Lockout", "Sign-in pages", "Helpdesk"]) {
      await page.getByRole("heading", { name: title, exact: true }).waitFor();
    }
    await page.getByText("No unsaved changes.").waitFor();
    await expectNoSeriousA11yViolations(page, "policy");
    const before = await currentPolicy();

    const minLength = page.getByLabel("Minimum length");
    await minLength.fill("7");
    await page.getByText("Enter a whole number from 8 to 64.").waitFor();
    expect(await minLength.getAttribute("aria-invalid")).toBe("true");
    await page.getByText("You have unsaved changes.").waitFor();
    await page.getByRole("button", { name: "Save policy" }).click();
    await page.getByRole("alert").filter({ hasText: "One field needs a change before the policy can be saved." }).waitFor();
    expect((await currentPolicy()).version).toBe(before.version);
    await expectNoSeriousA11yViolations(page, "policy: a field to fix");
    await screenshotBothSchemes(page, "admin-policy-invalid-1280");

    await minLength.fill("16");
    expect(await minLength.getAttribute("aria-invalid")).toBeNull();
    await page.getByLabel("Banned words").fill("contoso\nfabrikam");
    const expiry = page.getByLabel("Passwords expire after");
    expect(await expiry.inputValue()).toBe("");
    await expiry.fill("7");
    await page.getByText("Enter a whole number from 14 to 730, or leave it empty.").waitFor();
    await expiry.fill("90");
    await page.getByLabel("Language of emails and text messages, for users who have not chosen one").selectOption({ label: "Deutsch" });
    expect(await page.getByLabel("Users who know their password may unlock their own sign-in").isChecked()).toBe(true);
    await page.getByRole("button", { name: "Save policy" }).click();
    await page.getByRole("status").filter({ hasText: `Saved. This is version ${before.version + 1} of the policy.` }).waitFor();
    await page.getByText("No unsaved changes.").waitFor();
    const after = await currentPolicy();
    expect(after.passwordPolicy.minLength).toBe(16);
    expect(after.passwordPolicy.bannedWords).toEqual(["contoso", "fabrikam"]);
    expect(after.passwordPolicy.expiry).toEqual({ days: 90, notifyDaysBefore: 14 });
    expect(after.defaultLocale).toBe("de");

    await expiry.fill("");
    await page.getByRole("button", { name: "Save policy" }).click();
    await page.getByRole("status").filter({ hasText: `Saved. This is version ${before.version + 2} of the policy.` }).waitFor();
    expect((await currentPolicy()).passwordPolicy.expiry.days).toBeNull();
    await page.close();
  });

  it("says so when someone else saved first, and loads their version", async () => {
    const page = await openPolicyAs(admin.username, admin.password);
    const token = await signIn(worker.url, admin.username, admin.password);
    expect((await api(worker.url, "PATCH", "/v1/admin/policy", { lockout: { signInThreshold: 12 } }, token)).status).toBe(200);

    await page.getByLabel("Reset block lasts").fill("48");
    await page.getByRole("button", { name: "Save policy" }).click();
    await page.getByRole("alert").filter({ hasText: "Someone else saved the policy after you opened it." }).waitFor();
    expect((await currentPolicy()).lockout.resetBlockHours).not.toBe(48);
    await expectNoSeriousA11yViolations(page, "policy: someone else saved");
    await screenshotBothSchemes(page, "admin-policy-conflict-1280");
    await page.getByRole("button", { name: "Load the latest policy" }).click();
    await page.getByText("The latest policy is loaded.").waitFor();
    expect(await page.getByLabel("Wrong passwords before sign-in locks").inputValue()).toBe("12");
    await page.getByText("No unsaved changes.").waitFor();
    await page.close();
  });

  it("discards unsaved changes on request", async () => {
    const page = await openPolicyAs(admin.username, admin.password);
    const orgName = page.getByLabel("Organisation name (shown to users)");
    const original = await orgName.inputValue();
    await orgName.fill("Someone Else Inc");
    await page.getByRole("button", { name: "Discard changes" }).click();
    expect(await orgName.inputValue()).toBe(original);
    await page.getByText("No unsaved changes.").waitFor();
    await page.close();
  });

  it("is read-only for a password admin", async () => {
    const page = await openPolicyAs(helpdesk.username, helpdesk.password, 360);
    await page.getByText("Only a global admin can change the policy").waitFor();
    expect(await page.getByLabel("Minimum length").isDisabled()).toBe(true);
    await expect(page.getByRole("button", { name: "Save policy" }).count()).resolves.toBe(0);
    await expectNoSeriousA11yViolations(page, "policy: read-only");
    await screenshotBothSchemes(page, "admin-policy-readonly-360");
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);
    await page.close();
  });
});
