import { screen } from "@testing-library/preact";
import { describe, expect, it } from "vitest";
import { apiError, challenge, EMAIL, fakeWorker, QUESTIONS, reset, SMS, started, TOTP } from "./support/fake-worker.js";
import { alertText, chooseMethod, heading, openPopup, pressVerify, startAs, typeCode } from "./support/render-popup.js";

const radios = () => screen.getAllByRole("radio").map((r) => r.closest("label")?.textContent);

describe("wizard: choosing a method", () => {
  it("lists the masked methods, the first one selected, at step 2 of 3", async () => {
    fakeWorker().on("POST /v1/resets", started());
    await openPopup();
    await startAs();
    expect(radios()).toEqual(["Email a code to j•••@e•••.com", "Text a code to •••••••1234", "Enter a code from your authenticator app"]);
    expect((screen.getAllByRole("radio")[0] as HTMLInputElement).checked).toBe(true);
    expect(screen.getByText("Step 2 of 3")).toBeTruthy();
    // The button names what will happen: a message is about to be sent.
    expect(screen.getByRole("button", { name: "Send code" })).toBeTruthy();
  });

  it("tells several authenticator apps apart by the number the worker gives them", async () => {
    const apps = [1, 2].map((n) => ({ id: `mth_totp${n}`, type: "totp" as const, hint: `Authenticator app ${n}` }));
    fakeWorker().on("POST /v1/resets", started({ methods: [EMAIL, ...apps] }));
    await openPopup();
    await startAs();
    expect(radios()).toEqual(["Email a code to j•••@e•••.com", "Enter a code from authenticator app 1", "Enter a code from authenticator app 2"]);
  });

  it("sends a code for email and says where it went", async () => {
    const worker = fakeWorker().on("POST /v1/resets", started()).on("POST /v1/resets/rst_1/challenges", challenge(EMAIL.id, "email"));
    await openPopup();
    await startAs();
    await chooseMethod(/Email a code/, "Send code", "Check your email");
    expect(screen.getByText(/We sent a code to j•••@e•••\.com\. It works for 10 minutes\./)).toBeTruthy();
    const call = worker.calls.find((c) => c.route === "POST /v1/resets/rst_1/challenges");
    expect(call?.body).toEqual({ methodId: EMAIL.id });
    // The reset token travels from the background, never through the popup.
    expect(call?.headers.Authorization).toBe("Bearer tok_secret");
  });

  it("texts a code for SMS", async () => {
    fakeWorker().on("POST /v1/resets", started()).on("POST /v1/resets/rst_1/challenges", challenge(SMS.id, "sms"));
    await openPopup();
    await startAs();
    await chooseMethod(/Text a code/, "Send code", "Check your phone");
    expect(screen.getByText(/We texted a code to •••••••1234/)).toBeTruthy();
  });

  it("asks an authenticator app for its code without sending anything", async () => {
    const worker = fakeWorker().on("POST /v1/resets", started());
    await openPopup();
    await startAs();
    await chooseMethod(/authenticator app/, "Continue", "Enter the code from your app");
    expect(worker.calls.some((c) => c.route.endsWith("/challenges"))).toBe(false);
    expect(screen.getByText("6 digits. You can paste it.")).toBeTruthy();
  });

  it("says to wait when sending is rate limited", async () => {
    fakeWorker().on("POST /v1/resets", started()).on("POST /v1/resets/rst_1/challenges", apiError(429, "rate_limited", { retryAfter: 45 }));
    await openPopup();
    await startAs();
    await chooseMethod(/Email a code/, "Send code", "Prove it's you");
    expect(await alertText()).toBe("Too many attempts. Try again in 45 seconds.");
  });

  it("asks to choose another method when the worker no longer knows this one", async () => {
    fakeWorker().on("POST /v1/resets", started()).on("POST /v1/resets/rst_1/challenges", apiError(404, "not_found"));
    await openPopup();
    await startAs();
    await chooseMethod(/Text a code/, "Send code", "Prove it's you");
    expect(await alertText()).toBe("That method can't be used for this reset any more. Choose another one.");
  });

  it("with two required, offers only methods of another type for the second check, at step 3 of 4", async () => {
    const methods = [EMAIL, { ...EMAIL, id: "mth_email2", hint: "j•••@h•••.org" }, TOTP, QUESTIONS];
    fakeWorker()
      .on("POST /v1/resets", started({ methodsRequired: 2, methods }))
      .on("POST /v1/resets/rst_1/challenges", challenge(EMAIL.id, "email"))
      .on("POST /v1/resets/rst_1/verify", { status: 200, body: reset({ methodsRequired: 2, methods, verifiedMethodIds: [EMAIL.id] }) });
    await openPopup();
    await startAs();
    expect(screen.getByText("Step 2 of 4")).toBeTruthy();
    expect(screen.getByText("Your organisation asks for two checks. Choose the first one.")).toBeTruthy();
    await chooseMethod(/j•••@e•••\.com/, "Send code", "Check your email");
    typeCode("12345678");
    pressVerify();
    await heading("One more check");
    expect(screen.getByText("Step 3 of 4")).toBeTruthy();
    expect(radios()).toEqual(["Enter a code from your authenticator app", "Answer your security questions"]);
  });

  it("can start over from the methods", async () => {
    const worker = fakeWorker().on("POST /v1/resets", started());
    await openPopup();
    await startAs();
    screen.getByRole("button", { name: "Start over" }).click();
    await heading("Reset your password");
    expect(worker.calls.filter((c) => c.route === "POST /v1/resets")).toHaveLength(1);
  });
});
