import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { api, nextCode, seenCodes, signIn } from "./support/api.js";
import { launchWithExtension, type ExtensionBrowser } from "./support/browser.js";
import { WizardPage } from "./support/wizard-page.js";
import { startTestWorker, type TestWorker } from "./support/worker.js";

// Demo accounts (scripts/seed-demo.ts): Jane has an email method; Maria has none yet.
const JANE = "jane@demo.example";
const MARIA = { username: "maria@demo.example", password: "willow-copper-sonnet-31" };
const ADMIN = { username: "admin@demo.example", password: "staple-orbit-lantern-42" };

/**
 * The screens off the happy path, against the real worker: not set up, unavailable, expired,
 * resend too soon, blocked, security questions (wrong then right), unreachable. Each is photographed.
 */
describe("reset wizard screens off the happy path, in Chromium", () => {
  let worker: TestWorker;
  let browser: ExtensionBrowser;
  const seen = new Set<string>();

  /**
   * Each test opens a fresh popup with no reset held: the background resumes an unfinished reset
   * by design, and a test that stops midway must not hand its reset to the next one.
   */
  const popup = async (shots: string) => {
    await browser.context
      .serviceWorkers()[0]!
      .evaluate(() => (globalThis as unknown as { chrome: { storage: { session: { clear(): Promise<void> } } } }).chrome.storage.session.clear());
    return new WizardPage(await browser.open("popup.html"), shots);
  };

  beforeAll(async () => {
    [worker, browser] = await Promise.all([startTestWorker(), launchWithExtension()]);
  });
  // A test that stops midway must not leave the worker's clock moved for the next one.
  afterEach(async () => {
    await api(worker.url, "POST", "/v1/dev/clock", { offsetSeconds: 0 });
  });
  afterAll(async () => {
    await browser?.close();
    await worker?.stop();
  });

  it("asks to be set up before a worker URL is known", async () => {
    const wizard = await popup("setup");
    await wizard.expectHeading("Set up password reset");
    await wizard.shot("screen");
    await wizard.page.close();
    await browser.useWorker(worker.url);
  });

  it("gives an unknown username the helpdesk message", async () => {
    const wizard = await popup("unavailable");
    await wizard.enterUsername("nobody@demo.example");
    await wizard.submitUsername();
    await wizard.expectHeading("Can't reset this password");
    await wizard.shot("screen");
    await wizard.page.close();
  });

  it("offers to start over when the reset has run past 15 minutes", async () => {
    for (const m of await seenCodes(worker.url, JANE)) seen.add(m);
    const wizard = await popup("expired");
    await wizard.enterUsername(JANE);
    await wizard.submitUsername();
    await wizard.chooseMethod(/Email a code/);
    await wizard.submitMethod("Send code");
    await wizard.expectHeading("Check your email");
    const code = await nextCode(worker.url, JANE, seen);
    expect((await api(worker.url, "POST", "/v1/dev/clock", { offsetSeconds: 16 * 60 })).status).toBe(200);
    await wizard.enterCode(code);
    await wizard.verify();
    await wizard.expectHeading("This reset has expired");
    await wizard.shot("screen");
    await api(worker.url, "POST", "/v1/dev/clock", { offsetSeconds: 0 });
    await wizard.page.getByRole("button", { name: "Start over" }).click();
    await wizard.expectHeading("Reset your password");
    await wizard.page.close();
  });

  it("says calmly to wait on a resend within a minute (the link counts down), then blocks after five wrong codes", async () => {
    const wizard = await popup("blocked");
    await wizard.enterUsername(JANE);
    await wizard.submitUsername();
    await wizard.chooseMethod(/Email a code/);
    await wizard.submitMethod("Send code");
    await wizard.expectHeading("Check your email");
    await wizard.page.getByRole("button", { name: "Send a new code" }).click();
    await wizard.page.getByRole("status").filter({ hasText: /You can ask for another in (1 minute|\d+ seconds)\./ }).waitFor();
    // Nothing in the alert region (empty, so hidden from the accessibility tree: located by attribute).
    expect(await wizard.page.locator("[role=alert]").textContent()).toBe("");
    const resend = wizard.page.getByRole("button", { name: /^Send a new code in \d+ seconds?$/ });
    expect(await resend.getAttribute("aria-disabled")).toBe("true");
    await wizard.shot("resend-too-soon");
    for (let i = 0; i < 5; i++) {
      await wizard.enterCode("00000000");
      await wizard.verify();
      if (i < 4) await wizard.page.getByRole("alert").filter({ hasText: `You have ${4 - i}` }).waitFor();
    }
    await wizard.expectHeading("Reset is blocked for now");
    expect(await wizard.page.getByRole("alert").textContent()).toMatch(/Try again in 24 hours\.$/);
    await wizard.shot("screen");
    await wizard.page.close();
  });

  it("resets with security questions (a wrong answer asks again) and an emailed code", async () => {
    const admin = await signIn(worker.url, ADMIN.username, ADMIN.password);
    const policy = { methods: { required: 2, available: ["email", "sms", "totp", "security_questions"] } };
    expect((await api(worker.url, "PATCH", "/v1/admin/policy", policy, admin)).status).toBe(200);

    const token = await signIn(worker.url, MARIA.username, MARIA.password);
    for (const m of await seenCodes(worker.url, MARIA.username)) seen.add(m);
    const email = await api<{ method: { id: string } }>(worker.url, "POST", "/v1/me/methods", { type: "email", email: MARIA.username }, token);
    await api(worker.url, "POST", `/v1/me/methods/${email.body.method.id}/verify`, { code: await nextCode(worker.url, MARIA.username, seen) }, token);
    const catalogue = await api<{ questions: { id: string; text: string }[] }>(worker.url, "GET", "/v1/me/security-questions", undefined, token);
    const chosen = catalogue.body.questions.slice(0, 3);
    const answers = new Map(chosen.map((q, i) => [q.text, `answer number ${i + 1}`]));
    const put = await api(worker.url, "PUT", "/v1/me/security-questions", { answers: chosen.map((q) => ({ questionId: q.id, answer: answers.get(q.text) })) }, token);
    expect(put.status).toBe(200);

    const wizard = await popup("questions");
    await wizard.enterUsername(MARIA.username);
    await wizard.submitUsername();
    await wizard.chooseMethod(/security questions/);
    await wizard.submitMethod("Continue");
    await wizard.expectHeading("Answer your security questions");
    const fields = wizard.page.getByRole("textbox");
    for (let i = 0; i < (await fields.count()); i++) await fields.nth(i).fill("wrong answer");
    await wizard.shot("screen");
    await wizard.verify();
    await wizard.page.getByRole("alert").filter({ hasText: "At least one answer isn't right. Check your answers and try again." }).waitFor();
    await wizard.shot("wrong-answers");
    for (const [text, answer] of answers) {
      const field = wizard.page.getByLabel(text, { exact: true });
      if (await field.count()) await field.fill(answer.toUpperCase());
    }
    await wizard.verify();
    await wizard.expectHeading("One more check");
    await wizard.chooseMethod(/Email a code/);
    await wizard.submitMethod("Send code");
    await wizard.expectHeading("Check your email");
    await wizard.enterCode(await nextCode(worker.url, MARIA.username, seen));
    await wizard.verify();
    await wizard.enterPassword("saffron-trellis-beacon-58");
    await wizard.submitPassword();
    await wizard.page.close();
    await signIn(worker.url, MARIA.username, "saffron-trellis-beacon-58");
  });

  it("explains an unreachable worker and offers to retry", async () => {
    await browser.useWorker("http://127.0.0.1:9");
    const wizard = await popup("unreachable");
    await wizard.expectHeading("Can't reach the password service");
    await wizard.shot("screen");
    await wizard.page.close();
  });
});
