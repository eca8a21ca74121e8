import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { launchWithExtension, screenshot, screenshotBothSchemes, type ExtensionBrowser } from "./support/browser.js";
import { RegistrationPage } from "./support/registration-page.js";
import { InPagePrompt, type Box } from "./support/prompt.js";
import { ContentScriptProbe, enableSignInPrompts } from "./support/signin-page.js";
import { startTestWorker, type TestWorker } from "./support/worker.js";

// Demo accounts (scripts/seed-demo.ts) without recovery methods.
const ADMIN = { username: "admin@demo.example", password: "staple-orbit-lantern-42" };
const SAM = { username: "sam@demo.example", password: "glacier-tulip-rocket-64" };


/** A sign-in form inside a modal <dialog>, as many sites open "Log in": the rest of the page is inert. */
const MODAL_PAGE = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Modal sign-in</title>
<style>body { font: 16px system-ui; margin: 40px; } dialog { padding: 24px; width: 320px; } input, button { display: block; width: 100%; margin: 6px 0 14px; font: inherit; padding: 8px; }</style></head>
<body><h1>Intranet</h1><p>Welcome to the intranet.</p>
<dialog id="login"><form method="dialog" id="f"><h2>Log in</h2>
<label for="u">Email</label><input id="u" name="username" autocomplete="username">
<label for="p">Password</label><input id="p" name="password" type="password" autocomplete="current-password">
<button type="submit">Log in</button></form></dialog>
<script>const d = document.getElementById("login"); d.showModal();
document.getElementById("f").addEventListener("submit", (e) => { e.preventDefault(); d.querySelector("h2").textContent = "Checking…"; });</script>
</body></html>`;

/** A classic form that posts and navigates: the prompt shows on the page the tab lands on. */
const CLASSIC_PAGE = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Sign in</title></head>
<body><form method="post" action="/demo/classic-done"><label for="u">Username</label><input id="u" name="username" autocomplete="username">
<label for="p">Password</label><input id="p" name="password" type="password" autocomplete="current-password"><button type="submit">Sign in</button></form></body></html>`;
const LANDING_PAGE = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Home</title></head><body><h1>Welcome back</h1></body></html>`;

/** Serves a page at a URL inside signInPages (the worker's /demo/*), as the organisation's own site would. */
async function serve(page: Page, url: string, html: string): Promise<void> {
  await page.route(url, (route) => route.fulfill({ status: 200, contentType: "text/html; charset=utf-8", body: html }));
}

async function waitForContentScript(probe: ContentScriptProbe, page: Page): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (!probe.running) {
    if (Date.now() > deadline) throw new Error("no content script");
    await page.waitForTimeout(50);
  }
}

describe("sign-in prompt on other kinds of sign-in page, in Chromium", () => {
  let worker: TestWorker;
  let browser: ExtensionBrowser;

  beforeAll(async () => {
    [worker, browser] = await Promise.all([startTestWorker(), launchWithExtension()]);
    await browser.useWorker(worker.url);
    await enableSignInPrompts(browser);
  });
  afterAll(async () => {
    await browser?.close();
    await worker?.stop();
  });

  it("shows a usable prompt over a modal sign-in dialog, and the admin's page asks for two methods", async () => {
    const page = await browser.context.newPage();
    await page.setViewportSize({ width: 1280, height: 800 });
    const probe = await ContentScriptProbe.attach(page, browser.extensionId);
    await serve(page, `${worker.url}/demo/modal`, MODAL_PAGE);
    await page.goto(`${worker.url}/demo/modal`);
    await waitForContentScript(probe, page);
    await page.getByLabel("Email").fill(ADMIN.username);
    await page.getByLabel("Password", { exact: true }).fill(ADMIN.password);
    await page.getByRole("button", { name: "Log in" }).click();
    const prompt = new InPagePrompt(page);
    await prompt.waitFor();
    // Inside the modal dialog, so not inert: a real click reaches it.
    expect(await page.evaluate(() => document.querySelector("opensspr-prompt")?.parentElement?.id)).toBe("login");
    const button = (await page.getByRole("button", { name: "Log in" }).boundingBox())!;
    const box = (await page.locator("opensspr-prompt").boundingBox())!;
    expect(box.x + box.width <= button.x || button.x + button.width <= box.x || box.y + box.height <= button.y || button.y + button.height <= box.y).toBe(true);
    await page.waitForTimeout(300); // past the prompt's fade-in
    await screenshot(page, "prompt-modal-light");

    const opened = browser.context.waitForEvent("page");
    await prompt.click("Set up now");
    const reg = new RegistrationPage(await opened);
    await reg.expectHeading("Set up password recovery");
    await reg.page.getByText("As an administrator, you need 2 methods of different kinds").waitFor();
    expect(await reg.page.getByRole("button", { name: "Set up security questions" }).count()).toBe(0);
    await reg.shot("overview-admin");
    await reg.page.close();
    await page.close();
  });

  it("keeps the username and the sign-in button visible beside a modal on a 360 px window", async () => {
    const page = await browser.context.newPage();
    await page.setViewportSize({ width: 360, height: 640 });
    const probe = await ContentScriptProbe.attach(page, browser.extensionId);
    await serve(page, `${worker.url}/demo/modal`, MODAL_PAGE);
    await page.goto(`${worker.url}/demo/modal`);
    await waitForContentScript(probe, page);
    await page.getByLabel("Email").fill(SAM.username);
    await page.getByLabel("Password", { exact: true }).fill(SAM.password);
    await page.getByRole("button", { name: "Log in" }).click();
    const prompt = new InPagePrompt(page);
    await prompt.waitFor();
    const apart = (a: Box, b: Box) => a.x + a.width <= b.x || b.x + b.width <= a.x || a.y + a.height <= b.y || b.y + b.height <= a.y;
    const box = (await page.locator("opensspr-prompt").boundingBox())!;
    expect(apart(box, (await page.getByLabel("Email").boundingBox())!)).toBe(true);
    expect(apart(box, (await page.getByRole("button", { name: "Log in" }).boundingBox())!)).toBe(true);
    expect(box.y).toBeGreaterThanOrEqual(0);
    expect(box.y + box.height).toBeLessThanOrEqual(640);
    // Squeezed, the prompt still shows its heading and whole buttons; only the text between them scrolls.
    const layout = (await prompt.layout())!;
    for (const name of ["Set up now", "Not now"]) {
      const button = layout.buttons[name]!;
      expect(button.y, name).toBeGreaterThanOrEqual(layout.card.y);
      expect(button.y + button.height, name).toBeLessThanOrEqual(layout.card.y + layout.card.height);
    }
    await page.waitForTimeout(300); // past the prompt's fade-in
    await screenshotBothSchemes(page, "prompt-modal-360");
    await page.close();
  });

  it("shows the prompt on the page a navigating sign-in form lands on", async () => {
    const page = await browser.context.newPage();
    await page.setViewportSize({ width: 1280, height: 800 });
    const probe = await ContentScriptProbe.attach(page, browser.extensionId);
    await serve(page, `${worker.url}/demo/classic`, CLASSIC_PAGE);
    await serve(page, `${worker.url}/demo/classic-done`, LANDING_PAGE);
    await page.goto(`${worker.url}/demo/classic`);
    await waitForContentScript(probe, page);
    await page.getByLabel("Username").fill(SAM.username);
    await page.getByLabel("Password").fill(SAM.password);
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.getByRole("heading", { name: "Welcome back" }).waitFor();
    await new InPagePrompt(page).waitFor((s) => s.title === "Set up password recovery");
    await page.waitForTimeout(300);
    await screenshot(page, "prompt-after-navigation-light");
    await page.close();
  });
});
