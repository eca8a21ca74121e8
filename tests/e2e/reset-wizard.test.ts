import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { api, currentStep, nextCode, seenCodes, signIn, totpAt } from "./support/api.js";
import { launchWithExtension, screenshotBothSchemes, type ExtensionBrowser } from "./support/browser.js";
import { WizardPage } from "./support/wizard-page.js";
import { startTestWorker, type TestWorker } from "./support/worker.js";

// Demo accounts seeded by the worker (scripts/seed-demo.ts): Sam has no recovery methods yet.
const SAM = { username: "sam@demo.example", password: "glacier-tulip-rocket-64" };
const ADMIN = { username: "admin@demo.example", password: "staple-orbit-lantern-42" };
const FIRST_NEW_PASSWORD = "copper-lantern-meadow-71";
const SECOND_NEW_PASSWORD = "violet-harbor-quartz-29";

describe("toolbar reset wizard, in Chromium against the worker", () => {
  let worker: TestWorker;
  let browser: ExtensionBrowser;
  let totpSecret = "";
  let seen = new Set<string>();

  beforeAll(async () => {
    [worker, browser] = await Promise.all([startTestWorker(), launchWithExtension()]);
  });
  afterAll(async () => {
    await browser?.close();
    await worker?.stop();
  });

  it("registers Sam's email and authenticator app through the API", async () => {
    const token = await signIn(worker.url, SAM.username, SAM.password);
    seen = await seenCodes(worker.url, SAM.username);

    const email = await api<{ method: { id: string } }>(worker.url, "POST", "/v1/me/methods", { type: "email", email: SAM.username }, token);
    expect(email.status).toBe(201);
    const emailCode = await nextCode(worker.url, SAM.username, seen);
    const verified = await api(worker.url, "POST", `/v1/me/methods/${email.body.method.id}/verify`, { code: emailCode }, token);
    expect(verified.status).toBe(200);

    const totp = await api<{ method: { id: string }; secret: string }>(worker.url, "POST", "/v1/me/methods", { type: "totp", label: "Phone" }, token);
    expect(totp.status).toBe(201);
    totpSecret = totp.body.secret;
    const totpVerified = await api(worker.url, "POST", `/v1/me/methods/${totp.body.method.id}/verify`, { code: totpAt(totpSecret, currentStep()) }, token);
    expect(totpVerified.status).toBe(200);
  });

  it("points the extension at the worker from the options page", async () => {
    const page = await browser.open("options.html");
    await page.getByLabel("Password reset service address").fill(worker.url);
    await page.getByRole("button", { name: "Check and save" }).click();
    await page.getByRole("status").filter({ hasText: "Connected to Demo Org" }).waitFor();
    await screenshotBothSchemes(page, "options-saved");
    await page.close();
  });

  it("resets the password with a code from the dev outbox, then signs in with it", async () => {
    const wizard = new WizardPage(await browser.open("popup.html"), "one-method");
    await wizard.enterUsername(SAM.username);
    // The total isn't known before the worker answers the username: no guess that could change.
    expect(await wizard.progressText()).toBe("Step 1");
    await wizard.shot("1-username");
    await wizard.submitUsername();

    await wizard.expectHeading("Prove it's you");
    expect(await wizard.progressText()).toBe("Step 2 of 3");
    await wizard.chooseMethod(/Email a code/);
    await wizard.shot("2-choose");
    await wizard.submitMethod("Send code");

    await wizard.expectHeading("Check your email");
    const code = await nextCode(worker.url, SAM.username, seen);
    await wizard.shot("3-code");
    // A wrong code first: the notice says how many tries are left.
    await wizard.enterCode(code === "00000000" ? "11111111" : "00000000");
    await wizard.verify();
    await wizard.page.getByRole("alert").filter({ hasText: /That code isn't right\. You have \d+ attempts? left\./ }).waitFor();
    await wizard.shot("3b-wrong-code");
    // Pasted with a space, as codes often are.
    await wizard.enterCode(`${code.slice(0, 4)} ${code.slice(4)}`);
    expect(await wizard.page.getByLabel("Code", { exact: true }).inputValue()).toBe(code);
    await wizard.verify();

    await wizard.enterPassword("short");
    expect(await wizard.progressText()).toBe("Step 3 of 3");
    await wizard.shot("4-password-weak");
    await wizard.enterPassword(FIRST_NEW_PASSWORD);
    await wizard.shot("4-password-ok");
    await wizard.submitPassword();
    await wizard.shot("5-done");
    await wizard.page.close();

    await signIn(worker.url, SAM.username, FIRST_NEW_PASSWORD);
    const old = await api(worker.url, "POST", "/v1/sessions", SAM);
    expect(old.status).toBe(401);
  });

  it("asks for two methods of different types when the policy requires two", async () => {
    const adminToken = await signIn(worker.url, ADMIN.username, ADMIN.password);
    const patched = await api(worker.url, "PATCH", "/v1/admin/policy", { methods: { required: 2 } }, adminToken);
    expect(patched.status).toBe(200);

    const wizard = new WizardPage(await browser.open("popup.html"), "two-methods");
    await wizard.enterUsername(SAM.username);
    await wizard.submitUsername();
    await wizard.expectHeading("Prove it's you");
    expect(await wizard.progressText()).toBe("Step 2 of 4");
    await wizard.chooseMethod(/Email a code/);
    await wizard.submitMethod("Send code");
    await wizard.expectHeading("Check your email");
    await wizard.enterCode(await nextCode(worker.url, SAM.username, seen));
    await wizard.verify();

    await wizard.expectHeading("One more check");
    expect(await wizard.progressText()).toBe("Step 3 of 4");
    // The email method was used: only a different type is offered now.
    expect(await wizard.page.getByRole("radio").count()).toBe(1);
    await wizard.chooseMethod(/authenticator app/);
    await wizard.shot("3-second-method");
    await wizard.submitMethod("Continue");

    await wizard.expectHeading("Enter the code from your app");
    await wizard.shot("4-totp");
    // Registration spent the current 30 s step; move the worker's clock on so the app shows a fresh code.
    const offsetSeconds = 60;
    expect((await api(worker.url, "POST", "/v1/dev/clock", { offsetSeconds })).status).toBe(200);
    await wizard.enterCode(totpAt(totpSecret, currentStep(Date.now() + offsetSeconds * 1000)));
    await wizard.verify();

    await wizard.enterPassword(SECOND_NEW_PASSWORD);
    expect(await wizard.progressText()).toBe("Step 4 of 4");
    await wizard.submitPassword();
    await wizard.page.close();
    await api(worker.url, "POST", "/v1/dev/clock", { offsetSeconds: 0 });

    await signIn(worker.url, SAM.username, SECOND_NEW_PASSWORD);
  });
});
