import { fireEvent, screen, waitFor } from "@testing-library/preact";
import { describe, expect, it, vi } from "vitest";
import { resetSessionStore } from "../../../extension/storage.js";
import { apiError, challenge, EMAIL, fakeWorker, reset, started, TOTP, type FakeWorker } from "./support/fake-worker.js";
import { alertText, chooseMethod, heading, openPopup, pressVerify, startAs, typeCode } from "./support/render-popup.js";

const VERIFY = "POST /v1/resets/rst_1/verify";
const CHALLENGES = "POST /v1/resets/rst_1/challenges";
const codeInput = () => screen.getByLabelText("Code") as HTMLInputElement;

async function atEmailCode(setup: (w: FakeWorker) => void = () => {}) {
  const worker = fakeWorker().on("POST /v1/resets", started()).on(CHALLENGES, challenge(EMAIL.id, "email"));
  setup(worker);
  await openPopup();
  await startAs();
  await chooseMethod(/Email a code/, "Send code", "Check your email");
  return worker;
}

describe("wizard: code step", () => {
  it("is a numeric one-time-code field that strips spaces from a pasted code", async () => {
    await atEmailCode();
    expect(codeInput().getAttribute("inputmode")).toBe("numeric");
    expect(codeInput().getAttribute("autocomplete")).toBe("one-time-code");
    typeCode("1234 5678");
    expect(codeInput().value).toBe("12345678");
    typeCode("Your code: 8765-4321 ");
    expect(codeInput().value).toBe("87654321");
  });

  it("asks for all 8 digits before sending", async () => {
    const worker = await atEmailCode();
    typeCode("1234");
    pressVerify();
    expect(await alertText()).toBe("Enter all 8 digits of the code.");
    expect(worker.calls.some((c) => c.route === VERIFY)).toBe(false);
  });

  it("verifies the code and moves to the new password, at step 3 of 3", async () => {
    const worker = await atEmailCode((w) => w.on(VERIFY, { status: 200, body: reset({ status: "verified", verifiedMethodIds: [EMAIL.id] }) }));
    typeCode("12345678");
    pressVerify();
    await heading("Choose a new password");
    expect(screen.getByText("Step 3 of 3")).toBeTruthy();
    expect(worker.calls.find((c) => c.route === VERIFY)?.body).toEqual({ methodId: EMAIL.id, code: "12345678" });
  });

  it("says a wrong code is wrong, with the attempts left, and empties and refocuses the field", async () => {
    await atEmailCode((w) => w.on(VERIFY, apiError(400, "invalid_code", { details: [{ attemptsLeft: 3 }] })));
    typeCode("12345678");
    pressVerify();
    expect(await alertText()).toBe("That code isn't right. You have 3 attempts left.");
    await waitFor(() => expect(codeInput().value).toBe(""));
    expect(document.activeElement).toBe(codeInput());
    expect(codeInput().getAttribute("aria-invalid")).toBe("true");
  });

  it("uses the singular for the last attempt", async () => {
    await atEmailCode((w) => w.on(VERIFY, apiError(400, "invalid_code", { details: [{ attemptsLeft: 1 }] })));
    typeCode("12345678");
    pressVerify();
    expect(await alertText()).toBe("That code isn't right. You have 1 attempt left.");
  });

  it("offers a new code when the code expired, and confirms the resend", async () => {
    const worker = await atEmailCode((w) => w.on(VERIFY, apiError(400, "code_expired")));
    typeCode("12345678");
    pressVerify();
    expect(await alertText()).toBe("This code has expired. Send a new code.");
    fireEvent.click(screen.getByRole("button", { name: "Send a new code" }));
    await waitFor(() => expect(screen.getByRole("status").textContent).toBe("We sent a new code to j•••@e•••.com. Earlier codes no longer work."));
    expect(worker.calls.filter((c) => c.route === CHALLENGES)).toHaveLength(2);
  });

  it("says calmly how long to wait when a resend comes too soon, and counts the resend link down", async () => {
    const worker = await atEmailCode((w) => w.on(CHALLENGES, challenge(EMAIL.id, "email"), apiError(429, "rate_limited", { retryAfter: 60 })));
    fireEvent.click(screen.getByRole("button", { name: "Send a new code" }));
    // A wait, not a failure: the polite status line, not the alert.
    await waitFor(() => expect(screen.getByRole("status").textContent).toBe("A code was sent a moment ago. You can ask for another in 1 minute."));
    expect(screen.getByRole("alert").textContent).toBe("");
    // The code field was not the problem: it stays as it was.
    expect(codeInput().getAttribute("aria-invalid")).toBeNull();
    const link = screen.getByRole("button", { name: /^Send a new code in (60|59) seconds$/ });
    expect(link.getAttribute("aria-disabled")).toBe("true");
    fireEvent.click(link);
    await new Promise((r) => setTimeout(r, 20));
    expect(worker.calls.filter((c) => c.route === CHALLENGES)).toHaveLength(2);
  });

  it("gives the resend link back, and drops the wait notice, once the wait is over", async () => {
    vi.useFakeTimers({ shouldAdvanceTime: true });
    try {
      const worker = await atEmailCode((w) => w.on(CHALLENGES, challenge(EMAIL.id, "email"), apiError(429, "rate_limited", { retryAfter: 2 }), challenge(EMAIL.id, "email")));
      fireEvent.click(screen.getByRole("button", { name: "Send a new code" }));
      await screen.findByRole("button", { name: /^Send a new code in 2 seconds$/ });
      await vi.advanceTimersByTimeAsync(1000);
      await screen.findByRole("button", { name: "Send a new code in 1 second" });
      await vi.advanceTimersByTimeAsync(1100);
      const link = await screen.findByRole("button", { name: "Send a new code" });
      expect(link.getAttribute("aria-disabled")).toBeNull();
      expect(screen.getByRole("status").textContent).toBe("");
      fireEvent.click(link);
      await waitFor(() => expect(screen.getByRole("status").textContent).toBe("We sent a new code to j•••@e•••.com. Earlier codes no longer work."));
      expect(worker.calls.filter((c) => c.route === CHALLENGES)).toHaveLength(3);
    } finally {
      vi.useRealTimers();
    }
  });

  it("ends on a blocked screen with the hours to wait and the helpdesk, and forgets the reset", async () => {
    await atEmailCode((w) => w.on(VERIFY, apiError(429, "reset_blocked", { retryAfter: 23 * 3600 - 30 })));
    typeCode("12345678");
    pressVerify();
    await heading("Reset is blocked for now");
    // The footer offers the helpdesk: the notice doesn't say it twice.
    expect(await alertText()).toMatch(/Try again in 23 hours\.$/);
    expect(screen.getByRole("link", { name: "Contact your helpdesk" })).toBeTruthy();
    expect(screen.getByRole("button", { name: "Close" })).toBeTruthy();
    expect(await resetSessionStore.get()).toBeNull();
  });

  it("offers to start over when the reset expired", async () => {
    await atEmailCode((w) => w.on(VERIFY, apiError(410, "reset_expired")));
    typeCode("12345678");
    pressVerify();
    await heading("This reset has expired");
    expect(await alertText()).toContain("A reset lasts 15 minutes");
    fireEvent.click(screen.getByRole("button", { name: "Start over" }));
    await heading("Reset your password");
  });

  it("keeps the user on the step with a network notice when the worker can't be reached", async () => {
    await atEmailCode((w) => w.on(VERIFY, () => {
      throw new TypeError("Failed to fetch");
    }));
    typeCode("12345678");
    pressVerify();
    expect(await alertText()).toContain("Check your internet connection");
    expect(screen.getByRole("heading", { level: 1 }).textContent).toBe("Check your email");
  });

  it("goes back to the method list from the code", async () => {
    await atEmailCode();
    fireEvent.click(screen.getByRole("button", { name: "Use another method" }));
    await heading("Prove it's you");
  });

  it("verifies a 6-digit authenticator code", async () => {
    const worker = fakeWorker().on("POST /v1/resets", started()).on(VERIFY, { status: 200, body: reset({ status: "verified", verifiedMethodIds: [TOTP.id] }) });
    await openPopup();
    await startAs();
    await chooseMethod(/authenticator app/, "Continue", "Enter the code from your app");
    expect(screen.getByText("Open your authenticator app and enter the code it shows now.")).toBeTruthy();
    typeCode("123 456 789");
    expect(codeInput().value).toBe("123456");
    pressVerify();
    await heading("Choose a new password");
    expect(worker.calls.find((c) => c.route === VERIFY)?.body).toEqual({ methodId: TOTP.id, code: "123456" });
  });
});
