import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { api, nextCode, seenCodes, signIn } from "./support/api.js";
import { launchWithExtension, type ExtensionBrowser } from "./support/browser.js";
import { RegistrationPage } from "./support/registration-page.js";
import { DemoSignIn, enableSignInPrompts } from "./support/signin-page.js";
import { startTestWorker, type TestWorker } from "./support/worker.js";

// Demo accounts (scripts/seed-demo.ts): Maria has no methods; Jane has a verified email, confirmed at seed time.
const MARIA = { username: "maria@demo.example", password: "willow-copper-sonnet-31" };
const JANE = { username: "jane@demo.example", password: "harbor-pepper-canvas-88" };
const ADMIN = { username: "admin@demo.example", password: "staple-orbit-lantern-42" };
const MARIA_PHONE = { typed: "+44 7911 123 456", e164: "+447911123456" };

/**
 * The prompt's other paths: "Not now" spends the skips the policy allows (3 → 2 → 1 → 0, then it is
 * no longer offered), security questions and a phone on the registration page, and the prompt to
 * re-confirm recovery info that is due.
 */
describe("sign-in prompt: skips, questions, phone and re-confirmation, in Chromium", () => {
  let worker: TestWorker;
  let browser: ExtensionBrowser;
  let demo: DemoSignIn;

  beforeAll(async () => {
    [worker, browser] = await Promise.all([startTestWorker(), launchWithExtension()]);
    await browser.useWorker(worker.url);
    await enableSignInPrompts(browser);
    demo = await DemoSignIn.open(browser, worker.url);
  });
  afterAll(async () => {
    await api(worker.url, "POST", "/v1/dev/clock", { offsetSeconds: 0 }).catch(() => undefined);
    await browser?.close();
    await worker?.stop();
  });

  it("counts Maria's skips down with each 'Not now', then stops offering it", async () => {
    for (const left of [3, 2, 1]) {
      await demo.reload();
      await demo.signIn(MARIA.username, MARIA.password);
      await demo.prompt.waitForText(left === 1 ? "You can put this off 1 more time." : `You can put this off ${left} more times.`);
      await demo.prompt.click("Not now");
      const after = left - 1;
      const said = after === 0 ? "Then you'll need to set it up." : after === 1 ? "You can put this off 1 more time." : `You can put this off ${after} more times.`;
      await demo.prompt.waitForText(said);
      if (left === 3) await demo.shot("prompt-skipped");
      await demo.prompt.click("Close");
      await demo.prompt.gone();
    }
    await demo.reload();
    await demo.signIn(MARIA.username, MARIA.password);
    const last = await demo.prompt.waitForText("Your organisation asks you to do this now.");
    expect(last.buttons).not.toContain("Not now");
    await demo.shot("prompt-no-skips");
  });

  it("lets Maria answer security questions and add a phone, once the policy offers questions", async () => {
    const admin = await signIn(worker.url, ADMIN.username, ADMIN.password);
    const patched = await api(worker.url, "PATCH", "/v1/admin/policy", { methods: { available: ["email", "sms", "totp", "security_questions"] } }, admin);
    expect(patched.status).toBe(200);

    const opened = browser.context.waitForEvent("page");
    await demo.prompt.click("Set up now");
    const reg = new RegistrationPage(await opened);
    await reg.expectHeading("Set up password recovery");
    await reg.add("Set up security questions");
    await reg.expectHeading("Choose your security questions");
    await reg.shot("questions");
    for (const i of [0, 1, 2]) {
      const select = reg.page.getByLabel("Question", { exact: true }).nth(i);
      const options = await select.locator("option").allTextContents();
      await select.selectOption({ label: options[1 + i]! });
      await reg.page.getByLabel("Your answer").nth(i).fill(["copper kettle", "lighthouse", "marigold lane"][i]!);
    }
    await reg.page.getByRole("button", { name: "Save answers" }).click();
    await reg.status().filter({ hasText: "Security questions saved." }).waitFor();
    // Questions alone never suffice (spec §3): the page says what is still needed.
    await reg.page.getByText("security questions alone aren't enough").waitFor();
    await reg.shot("overview-questions-only");

    await reg.add("Add a mobile phone");
    await reg.expectHeading("Add a mobile phone");
    await reg.page.getByLabel("Mobile number").fill("+44 20 7946 0000");
    await reg.page.getByRole("button", { name: "Send code" }).click();
    // International already, but a landline: the worker says it can't get texts.
    await reg.alert().filter({ hasText: "We can't send texts to that number." }).waitFor();
    await reg.shot("phone-refused");
    const seen = await seenCodes(worker.url, MARIA_PHONE.e164);
    await reg.page.getByLabel("Mobile number").fill(MARIA_PHONE.typed);
    await reg.page.getByRole("button", { name: "Send code" }).click();
    await reg.expectHeading("Check your phone");
    await reg.enterCode(await nextCode(worker.url, MARIA_PHONE.e164, seen));
    // That completed the registration: back to the methods, which say so, and "Done" closes the page.
    await reg.expectHeading("Your recovery info");
    await reg.status().filter({ hasText: "Mobile phone added." }).waitFor();
    await reg.shot("overview-phone-added");

    // The admin now asks four answers of a reset: Maria's three can't be asked, and the page says so.
    const raised = await api(worker.url, "PATCH", "/v1/admin/policy", { securityQuestions: { numberToRegister: 4, numberToReset: 4 } }, admin);
    expect(raised.status).toBe(200);
    await reg.page.reload();
    await reg.expectHeading("Your recovery info");
    await reg.page.getByText("Answer them again to use them").waitFor();
    expect(await reg.page.getByRole("button", { name: "Change your security questions" }).count()).toBe(1);
    await reg.shot("overview-questions-again");
    expect((await api(worker.url, "PATCH", "/v1/admin/policy", { securityQuestions: { numberToRegister: 3, numberToReset: 3 } }, admin)).status).toBe(200);
    await reg.page.reload();
    await reg.page.getByText("Answered").waitFor();

    const closed = reg.page.waitForEvent("close");
    await reg.page.getByRole("button", { name: "Done" }).click();
    await closed;

    await demo.reload();
    await demo.signIn(MARIA.username, MARIA.password);
    await demo.expectNoPrompt();
  });

  it("asks Jane whether her recovery info is still current once reconfirmDays have passed", async () => {
    await api(worker.url, "POST", "/v1/dev/clock", { offsetSeconds: 181 * 86_400 });
    await demo.reload();
    await demo.signIn(JANE.username, JANE.password);
    await demo.prompt.waitFor((s) => s.title === "Is your recovery info still current?");
    await demo.shot("prompt-reconfirm");
    await demo.prompt.click("Yes");
    await demo.prompt.waitForText("Your recovery info is confirmed as current.");
    await demo.shot("prompt-reconfirmed");
    await demo.prompt.click("Close");

    await demo.reload();
    await demo.signIn(JANE.username, JANE.password);
    await demo.expectNoPrompt();
  });

  it("lets Jane confirm on the registration page when due again, after which it no longer asks", async () => {
    // Another 181 days after the confirmation above: due again.
    await api(worker.url, "POST", "/v1/dev/clock", { offsetSeconds: 362 * 86_400 });
    await demo.reload();
    await demo.signIn(JANE.username, JANE.password);
    await demo.prompt.waitFor((s) => s.title === "Is your recovery info still current?");
    const opened = browser.context.waitForEvent("page");
    await demo.prompt.click("Review");
    const reg = new RegistrationPage(await opened);
    await reg.expectHeading("Your recovery info");
    await reg.page.getByRole("heading", { level: 2, name: "Is this still right?" }).waitFor();
    await reg.shot("overview-reconfirm-due");
    await reg.page.getByRole("button", { name: "My info is current" }).click();
    await reg.status().filter({ hasText: "Thanks. Your recovery info is confirmed as current." }).waitFor();
    expect(await reg.page.getByRole("button", { name: "My info is current" }).count()).toBe(0);
    await reg.shot("overview-reconfirmed");
    const closed = reg.page.waitForEvent("close");
    await reg.page.getByRole("button", { name: "Done" }).click();
    await closed;

    await demo.reload();
    await demo.signIn(JANE.username, JANE.password);
    await demo.expectNoPrompt();
  });
});
