import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEMO_ACCOUNTS } from "../../scripts/seed-demo.js";
import { api, signIn } from "./support/api.js";
import { expectNoSeriousA11yViolations } from "./support/axe.js";
import { screenshotBothSchemes } from "./support/browser.js";
import { launchForWebPages, type WebBrowser } from "./support/web-browser.js";
import { startTestWorker, type TestWorker } from "./support/worker.js";

const account = (username: string) => DEMO_ACCOUNTS.find((a) => a.username === username)!;
const admin = account("admin@demo.example");
const helpdesk = account("helpdesk@demo.example");
const jane = account("jane@demo.example");
const sam = account("sam@demo.example");

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

/** Signs in the way a keyboard user does: Tab to each field from the top of the page, Enter to submit. */
async function signInWithKeyboard(page: Page, username: string, password: string) {
  await page.keyboard.press("Tab");
  await page.keyboard.type(username);
  await page.keyboard.press("Tab");
  await page.keyboard.type(password);
  await page.keyboard.press("Enter");
}

async function openConsole(width = 1280): Promise<Page> {
  const page = await browser.open(`${worker.url}/admin`, width);
  await page.getByRole("heading", { name: "Sign in to the OpenSSPR admin console" }).waitFor();
  return page;
}

describe("the admin console's page", () => {
  it("is served by the worker with a CSP that allows only its own scripts and styles, and is not cached", async () => {
    for (const path of ["/admin", "/admin/users/usr_demo_jane"]) {
      const res = await fetch(`${worker.url}${path}`);
      expect(res.status).toBe(200);
      expect(res.headers.get("content-type")).toMatch(/^text\/html/);
      const csp = res.headers.get("content-security-policy") ?? "";
      expect(csp).toContain("script-src 'self'");
      expect(csp).toContain("style-src 'self'");
      expect(csp).not.toContain("unsafe-inline");
      expect(res.headers.get("cache-control")).toBe("no-store");
      expect(await res.text()).toMatch(/<script type="module" crossorigin src="\/assets\/[^"]+\.js"><\/script>/);
    }
    expect((await fetch(`${worker.url}/v1/admin/users`)).status).toBe(401);
  });
});

describe("signing in to the admin console", () => {
  it("tells a user without an admin role so, and keeps no session", async () => {
    const page = await openConsole();
    await signInWithKeyboard(page, jane.username, jane.password);
    await expect(page.getByRole("alert").textContent()).resolves.toContain("This account is not an administrator");
    expect(await page.evaluate(() => sessionStorage.length + localStorage.length)).toBe(0);
    await screenshotBothSchemes(page, "admin-signin-refused-1280");
    await page.close();
  });

  it("says the username or password is not right, the same for an unknown name", async () => {
    const page = await openConsole();
    await signInWithKeyboard(page, "nobody@demo.example", "not-the-password");
    await expect(page.getByRole("alert").textContent()).resolves.toBe("The username or password is not right.");
    const password = page.getByLabel("Password", { exact: true });
    expect(await password.getAttribute("type")).toBe("password");
    await page.getByRole("button", { name: "Show password" }).click();
    expect(await password.getAttribute("type")).toBe("text");
    expect(await password.inputValue()).toBe("not-the-password");
    await page.close();
  });

  it("lets an admin in with the keyboard alone, keeps the session in sessionStorage only, and signs out", async () => {
    const page = await openConsole(360);
    await screenshotBothSchemes(page, "admin-signin-360");
    await expectNoSeriousA11yViolations(page, "admin sign-in");
    await signInWithKeyboard(page, admin.username, admin.password);
    await page.getByRole("heading", { name: "Users" }).waitFor();
    expect(await page.evaluate(() => Object.keys(sessionStorage))).toEqual(["opensspr.admin.session"]);
    expect(await page.evaluate(() => localStorage.length)).toBe(0);
    const token = await page.evaluate(() => (JSON.parse(sessionStorage.getItem("opensspr.admin.session")!) as { token: string }).token);
    expect((await api(worker.url, "GET", "/v1/admin/users?limit=1", undefined, token)).status).toBe(200);

    await page.reload();
    await page.getByRole("heading", { name: "Users" }).waitFor();
    await page.getByRole("button", { name: "Sign out" }).click();
    await page.getByRole("heading", { name: "Sign in to the OpenSSPR admin console" }).waitFor();
    expect(await page.evaluate(() => sessionStorage.length)).toBe(0);
    // Signing out ends the session on the server too, not only in this tab.
    await expect.poll(async () => (await api(worker.url, "GET", "/v1/admin/users?limit=1", undefined, token)).status).toBe(401);
    await page.close();
  });
});

describe("users", () => {
  let page: Page;

  beforeAll(async () => {
    page = await openConsole();
    await signInWithKeyboard(page, admin.username, admin.password);
    await page.getByRole("heading", { name: "Users" }).waitFor();
  });

  afterAll(() => page.close());

  const listedNames = () => page.locator(".user-list .user-name").allTextContents();

  it("lists everyone, then narrows as you type and by role", async () => {
    await expect.poll(listedNames).toEqual(expect.arrayContaining(["Ada Admin", "Jane Doe", "Sam Lee", "Maria Garcia", "Hugo Helpdesk"]));
    await screenshotBothSchemes(page, "admin-users-1280");
    await expectNoSeriousA11yViolations(page, "admin users");
    await page.getByLabel("Search by name or username").pressSequentially("jan");
    await expect.poll(listedNames).toEqual(["Jane Doe"]);
    expect(new URL(page.url()).searchParams.get("q")).toBe("jan");
    await page.getByLabel("Search by name or username").fill("");
    await page.getByLabel("Role").selectOption("password_admin");
    await expect.poll(listedNames).toEqual(["Hugo Helpdesk"]);
    await page.getByLabel("Role").selectOption("");
    await page.getByLabel("Group").fill("sales");
    await expect.poll(async () => (await listedNames()).sort()).toEqual(["Jane Doe", "Maria Garcia"]);
    await page.getByLabel("Group").fill("");
    // Jane is the demo's one user with a method (scripts/seed-demo.ts).
    await page.getByLabel("Registration").selectOption({ label: "Registered" });
    await expect.poll(listedNames).toEqual(["Jane Doe"]);
    expect(new URL(page.url()).searchParams.get("registration")).toBe("registered");
    await page.getByLabel("Registration").selectOption({ label: "Not registered" });
    await expect.poll(async () => (await listedNames()).includes("Jane Doe")).toBe(false);
    await expect.poll(async () => (await listedNames()).length).toBeGreaterThan(3);
    await page.getByLabel("Registration").selectOption("");
  });

  it("shows a locked user's page and unlocks them after a confirm step", async () => {
    let status = 0;
    // Distinct wrong passwords: smart lockout does not count a repeat of one of the last three.
    for (let i = 0; i < 20 && status !== 429; i++) status = (await api(worker.url, "POST", "/v1/sessions", { username: sam.username, password: `wrong-password-${i}` })).status;
    expect(status).toBe(429);

    await page.getByLabel("Search by name or username").fill("sam");
    await expect.poll(listedNames).toEqual(["Sam Lee"]);
    await page.getByRole("link", { name: /Sam Lee/ }).click();
    await page.getByRole("heading", { name: "Sam Lee" }).waitFor();
    expect(await page.locator(".facts").textContent()).toContain("Locked until");
    await expect(page.getByText("Sign-in locked").count()).resolves.toBe(1);
    expect(await page.locator(".facts").textContent()).toContain("Native (managed here)");
    await screenshotBothSchemes(page, "admin-user-locked-1280");

    await page.getByRole("button", { name: "Unlock" }).click();
    const confirm = page.getByRole("button", { name: "Unlock Sam Lee" });
    // Preact runs the focusing effect after paint, so the click can return first.
    await expect.poll(() => confirm.evaluate((el) => el === document.activeElement)).toBe(true);
    await screenshotBothSchemes(page, "admin-user-confirm-1280");
    await page.keyboard.press("Enter");
    await page.getByRole("status").filter({ hasText: "Sam Lee is unlocked." }).waitFor();
    await expect.poll(() => page.locator(".facts").textContent()).toContain("Not locked");
    expect((await api(worker.url, "POST", "/v1/sessions", { username: sam.username, password: sam.password })).status).toBe(201);
  });

  it("sets a temporary password, shown once with a copy button, that the user must change", async () => {
    await page.getByRole("button", { name: "Set a temporary password" }).click();
    await page.getByRole("button", { name: "Set a temporary password" }).click();
    const shown = page.getByLabel("Temporary password", { exact: true });
    await shown.waitFor();
    const temporary = await shown.inputValue();
    expect(temporary.length).toBeGreaterThanOrEqual(12);
    await page.context().grantPermissions(["clipboard-read", "clipboard-write"], { origin: worker.url });
    await page.getByRole("button", { name: "Copy password" }).click();
    await page.getByText("Copied to the clipboard.").waitFor();
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(temporary);
    await screenshotBothSchemes(page, "admin-user-temporary-password-1280");

    const session = await api<{ user: { mustChangePassword: boolean } }>(worker.url, "POST", "/v1/sessions", { username: sam.username, password: temporary });
    expect(session.status).toBe(201);
    expect(session.body.user.mustChangePassword).toBe(true);
    await page.getByRole("button", { name: "Done, hide it" }).click();
    await expect(page.getByLabel("Temporary password", { exact: true }).count()).resolves.toBe(0);
    expect(await page.locator(".facts").textContent()).toContain("must be changed at the next sign-in");
  });

  it("clears a user's recovery methods after a confirm step", async () => {
    await page.goto(`${worker.url}/admin/users/usr_demo_jane`);
    await page.getByRole("heading", { name: "Jane Doe" }).waitFor();
    await page.getByRole("button", { name: "Clear recovery methods" }).click();
    await page.getByRole("button", { name: "Clear recovery methods" }).click();
    await page.getByRole("status").filter({ hasText: "Jane Doe's recovery methods are cleared." }).waitFor();
    await page.getByText("No recovery methods.").waitFor();
    // Nothing left to clear: the action is no longer offered.
    await expect(page.getByRole("button", { name: "Clear recovery methods" }).count()).resolves.toBe(0);
  });

  it("fits 360 px wide in light and dark", async () => {
    await page.setViewportSize({ width: 360, height: 800 });
    await page.goto(`${worker.url}/admin/users`);
    await expect.poll(listedNames).toContain("Jane Doe");
    await screenshotBothSchemes(page, "admin-users-360");
    await page.goto(`${worker.url}/admin/users/usr_demo_sam`);
    await page.getByRole("heading", { name: "Sam Lee" }).waitFor();
    await screenshotBothSchemes(page, "admin-user-360");
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);
    await page.setViewportSize({ width: 1280, height: 800 });
  });
});

describe("a password admin", () => {
  it("sees an admin's page without the actions it may not take, and a user's with them", async () => {
    const page = await openConsole();
    await signInWithKeyboard(page, helpdesk.username, helpdesk.password);
    await page.getByRole("heading", { name: "Users" }).waitFor();
    await page.goto(`${worker.url}/admin/users/usr_demo_admin`);
    await page.getByRole("heading", { name: "Ada Admin" }).waitFor();
    await page.getByText("As a password admin you can view accounts with admin roles but not change them.").waitFor();
    await expect(page.getByRole("button", { name: "Unlock" }).count()).resolves.toBe(0);
    await page.goto(`${worker.url}/admin/users/usr_demo_maria`);
    await page.getByRole("heading", { name: "Maria Garcia" }).waitFor();
    await expect(page.getByRole("button", { name: "Unlock" }).count()).resolves.toBe(1);
    await page.close();
  });
});

describe("an admin who must change their password", () => {
  it("is told to change it first, and no session is kept", async () => {
    const token = await signIn(worker.url, admin.username, admin.password);
    const reset = await api<{ temporaryPassword: string }>(worker.url, "POST", "/v1/admin/users/usr_demo_helpdesk/password", {}, token);
    expect(reset.status).toBe(200);
    const page = await openConsole();
    await signInWithKeyboard(page, helpdesk.username, reset.body.temporaryPassword);
    await expect(page.getByRole("alert").textContent()).resolves.toContain("This account must change its password");
    expect(await page.evaluate(() => sessionStorage.length)).toBe(0);
    await page.close();
  });
});
