import { cleanup, fireEvent, render, screen, waitFor } from "@testing-library/preact";
import { describe, expect, it, vi } from "vitest";
import { fakeBrowser } from "wxt/testing/fake-browser";
import { backgroundResetsClient } from "../../../extension/wizard/background-resets-client.js";
import { popupHost } from "../../../extension/wizard/popup-host.js";
import { Wizard } from "../../../extension/wizard/wizard.js";
import { apiError, CONFIG, fakeWorker, reset, started, TOTP } from "./support/fake-worker.js";
import { chooseMethod, heading, openPopup, pressVerify, typeCode } from "./support/render-popup.js";

/*
 * Issue 15: "I know my password, but I can't sign in". The same checks as a reset, started with
 * purpose "unlock", and it ends with the lockout cleared and no password step.
 */

const UNLOCK = "POST /v1/resets/rst_1/unlock";
const verified = reset({ purpose: "unlock", status: "verified", verifiedMethodIds: [TOTP.id] });

async function proveWithApp(worker: ReturnType<typeof fakeWorker>) {
  await openPopup();
  fireEvent.input(screen.getByLabelText("Username"), { target: { value: "jane@example.test" } });
  fireEvent.click(screen.getByRole("radio", { name: "I know my password, but I can't sign in" }));
  fireEvent.click(screen.getByRole("button", { name: "Continue" }));
  await heading("Prove it's you");
  await chooseMethod(/authenticator app/, "Continue", "Enter the code from your app");
  typeCode("123456");
  pressVerify();
  return worker;
}

describe("wizard: unlock", () => {
  it("offers both at the start, forgot-my-password first", async () => {
    fakeWorker();
    await openPopup();
    const choices = screen.getAllByRole("radio") as HTMLInputElement[];
    expect(choices.map((c) => c.closest("label")?.textContent)).toEqual(["I forgot my password", "I know my password, but I can't sign in"]);
    expect(choices.map((c) => c.checked)).toEqual([true, false]);
    expect(screen.getByRole("group", { name: "What's wrong?" })).toBeTruthy();
  });

  it("offers no choice when the policy doesn't allow unlocking (GET /v1/config)", async () => {
    const worker = fakeWorker()
      .on("GET /v1/config", { status: 200, body: { ...CONFIG, selfServiceReset: { enabledFor: "all", allowUnlock: false } } })
      .on("POST /v1/resets", started());
    await openPopup();
    expect(screen.queryAllByRole("radio")).toEqual([]);
    expect(screen.getByText("Forgot your password or locked out? Prove it's you and choose a new one.")).toBeTruthy();
    fireEvent.input(screen.getByLabelText("Username"), { target: { value: "jane@example.test" } });
    fireEvent.click(screen.getByRole("button", { name: "Continue" }));
    await heading("Prove it's you");
    expect(worker.calls.find((c) => c.route === "POST /v1/resets")!.body).toEqual({ username: "jane@example.test", purpose: "reset" });
  });

  it("verifies the same way, then unlocks without a password step", async () => {
    const worker = await proveWithApp(
      fakeWorker()
        .on("POST /v1/resets", started({ purpose: "unlock" }))
        .on("POST /v1/resets/rst_1/verify", { status: 200, body: verified })
        .on(UNLOCK, { status: 200, body: reset({ purpose: "unlock", status: "completed", verifiedMethodIds: [TOTP.id] }) }),
    );
    await heading("Unlock your account");
    expect(screen.getByText("Step 3 of 3")).toBeTruthy();
    expect(screen.queryByLabelText("New password")).toBeNull();
    expect(worker.calls.find((c) => c.route === "POST /v1/resets")!.body).toEqual({ username: "jane@example.test", purpose: "unlock" });
    fireEvent.click(screen.getByRole("button", { name: "Unlock my account" }));
    await heading("Your account is unlocked");
    expect(screen.getByText(/Sign in again with your current password/)).toBeTruthy();
    const call = worker.calls.find((c) => c.route === UNLOCK)!;
    expect(call.headers.Authorization).toBe("Bearer tok_secret");
    expect(worker.calls.some((c) => c.route === "POST /v1/resets/rst_1/password")).toBe(false);
  });

  it("says in words when the organisation doesn't allow unlocking (409), and lets the user start over", async () => {
    await proveWithApp(
      fakeWorker()
        .on("POST /v1/resets", started({ purpose: "unlock" }))
        .on("POST /v1/resets/rst_1/verify", { status: 200, body: verified })
        .on(UNLOCK, apiError(409, "unlock_not_allowed")),
    );
    await heading("Unlock your account");
    fireEvent.click(screen.getByRole("button", { name: "Unlock my account" }));
    await heading("Unlocking isn't available");
    expect(screen.getByRole("alert").textContent).toContain('choose "I forgot my password"');
    fireEvent.click(screen.getByRole("button", { name: "Start over" }));
    await heading("Reset your password");
  });

  it("resumes a verified unlock at its last step when the popup reopens", async () => {
    const worker = fakeWorker()
      .on("POST /v1/resets", started({ purpose: "unlock" }))
      .on("POST /v1/resets/rst_1/verify", { status: 200, body: verified })
      .on("GET /v1/resets/rst_1", { status: 200, body: verified });
    await proveWithApp(worker);
    await heading("Unlock your account");
    cleanup();
    render(<Wizard client={backgroundResetsClient} host={popupHost} />);
    await heading("Unlock your account");
    expect(worker.calls.filter((c) => c.route === "GET /v1/resets/rst_1")).toHaveLength(1);
  });

  it("links to the change-password page for a password the user knows", async () => {
    fakeWorker();
    const create = vi.spyOn(fakeBrowser.tabs, "create");
    window.close = vi.fn();
    await openPopup();
    fireEvent.click(screen.getByRole("button", { name: "Change a password you know" }));
    await waitFor(() => expect(create).toHaveBeenCalledWith({ url: fakeBrowser.runtime.getURL("/change-password.html") }));
  });
});
