import { fireEvent, screen } from "@testing-library/preact";
import { beforeAll, describe, expect, it } from "vitest";
import { resetSessionStore } from "../../../extension/storage.js";
import { loadCommonPasswords } from "../../../extension/wizard/common-passwords.js";
import { apiError, EMAIL, fakeWorker, reset, started, TOTP } from "./support/fake-worker.js";
import { atPassword, COMMON_RULE, PASSWORD, rule } from "./support/password-step.js";
import { alertText, chooseMethod, heading, openPopup, pressVerify, startAs, typeCode } from "./support/render-popup.js";

const field = () => screen.getByLabelText("New password") as HTMLInputElement;
const type = (value: string) => fireEvent.input(field(), { target: { value } });

describe("wizard: new password", () => {
  // Every step here opens with the common-password list there; wizard-password-loading.spec covers the wait.
  beforeAll(() => loadCommonPasswords());

  it("lists the policy's rules, unticked before typing, and links them to the field", async () => {
    await atPassword();
    expect(field().getAttribute("autocomplete")).toBe("new-password");
    expect(field().getAttribute("aria-describedby")).toBe("password-rules");
    expect(rule("Use at least 15 characters.").className).toContain("todo");
    expect(rule(COMMON_RULE).className).toContain("todo");
  });

  it("ticks and crosses each rule live as the user types, in words as well as marks", async () => {
    await atPassword();
    type("password");
    expect(rule("Use at least 15 characters.").className).toContain("unmet");
    expect(rule("Use at least 15 characters.").textContent).toContain("(not yet)");
    expect(rule(COMMON_RULE).className).toContain("unmet");
    type("copper-lantern-meadow-71");
    expect(rule("Use at least 15 characters.").className).toContain("met");
    expect(rule("Use at least 15 characters.").textContent).toContain("(done)");
    expect(rule(COMMON_RULE).className).toContain("met");
    expect(rule(COMMON_RULE).className).not.toContain("unmet");
  });

  it("crosses a common password that meets every other rule, as the worker would refuse it", async () => {
    await atPassword();
    type("passwordpassword");
    expect(rule("Use at least 15 characters.").className).toContain("met");
    expect(rule(COMMON_RULE).className).toContain("unmet");
  });

  it("flags the user's own name and the org name (personal info) from the shared rules", async () => {
    await atPassword();
    type("jane-example-corp1");
    expect(rule("Avoid your name, username and organisation name; build your password from other words.").className).toContain("unmet");
  });

  it("shows the 256-character limit only near it (from 205) or past it, never as a permanent tick", async () => {
    const limit = "Use no more than 256 characters.";
    await atPassword();
    expect(screen.queryByText(limit)).toBeNull();
    type("copper-lantern-meadow-71");
    expect(screen.queryByText(limit)).toBeNull();
    type("x".repeat(204));
    expect(screen.queryByText(limit)).toBeNull();
    type("x".repeat(205));
    expect(rule(limit).className).toContain("met");
    type("x".repeat(257));
    expect(rule(limit).className).toContain("unmet");
  });

  it("shows and hides the password", async () => {
    await atPassword();
    expect(field().type).toBe("password");
    fireEvent.click(screen.getByRole("button", { name: "Show password" }));
    expect(field().type).toBe("text");
    fireEvent.click(screen.getByRole("button", { name: "Hide password" }));
    expect(field().type).toBe("password");
  });

  it("refuses to send a password that fails a rule", async () => {
    const worker = await atPassword();
    type("short");
    fireEvent.click(screen.getByRole("button", { name: "Change password" }));
    expect(await alertText()).toBe("Your new password doesn't meet the rules marked ✗ yet.");
    expect(worker.calls.some((c) => c.route === PASSWORD)).toBe(false);
  });

  it("lists the worker's reasons when it refuses the password (e.g. a banned word or history)", async () => {
    await atPassword((w) =>
      w.on(PASSWORD, apiError(422, "password_policy", { details: [{ rule: "banned", message: "Avoid words your organisation has banned; build your password from other words." }, { rule: "history", message: "Don't reuse your previous password." }] })),
    );
    type("copper-lantern-meadow-71");
    fireEvent.click(screen.getByRole("button", { name: "Change password" }));
    const text = await alertText();
    expect(text).toContain("Your organisation doesn't accept this password:");
    expect(text).toContain("Avoid words your organisation has banned");
    expect(text).toContain("Don't reuse your previous password.");
  });

  it("clears a refusal, its alert and the red border, once the user types another password", async () => {
    await atPassword((w) => w.on(PASSWORD, apiError(422, "password_policy", { details: [{ rule: "history", message: "Don't reuse your previous password." }] })));
    type("short");
    fireEvent.click(screen.getByRole("button", { name: "Change password" }));
    expect(await alertText()).toBe("Your new password doesn't meet the rules marked ✗ yet.");
    expect(field().getAttribute("aria-invalid")).toBe("true");
    type("copper-lantern-meadow-71");
    expect(screen.queryByRole("alert")?.textContent ?? "").toBe("");
    expect(field().getAttribute("aria-invalid")).not.toBe("true");

    fireEvent.click(screen.getByRole("button", { name: "Change password" }));
    expect(await alertText()).toContain("Don't reuse your previous password.");
    expect(field().getAttribute("aria-invalid")).toBe("true");
    type("violet-harbor-quartz-29");
    expect(screen.queryByRole("alert")?.textContent ?? "").toBe("");
    expect(field().getAttribute("aria-invalid")).not.toBe("true");
  });

  it("goes back to the checks when the worker says they are not done", async () => {
    await atPassword((w) => w.on(PASSWORD, apiError(409, "not_verified")).on("GET /v1/resets/rst_1", { status: 200, body: reset() }));
    type("copper-lantern-meadow-71");
    fireEvent.click(screen.getByRole("button", { name: "Change password" }));
    await heading("Prove it's you");
  });

  it("changes the password, shows success and forgets the reset token", async () => {
    const worker = await atPassword((w) => w.on(PASSWORD, { status: 200, body: reset({ status: "completed", verifiedMethodIds: [TOTP.id] }) }));
    type("copper-lantern-meadow-71");
    fireEvent.click(screen.getByRole("button", { name: "Change password" }));
    await heading("Password changed");
    expect(screen.getByText("You can now sign in with your new password.")).toBeTruthy();
    expect(worker.calls.find((c) => c.route === PASSWORD)?.body).toEqual({ newPassword: "copper-lantern-meadow-71" });
    expect(await resetSessionStore.get()).toBeNull();
    expect(screen.queryByText(/Step \d of/)).toBeNull();
  });

  it("says the reset is finished when it was already completed", async () => {
    await atPassword((w) => w.on(PASSWORD, apiError(409, "reset_completed")));
    type("copper-lantern-meadow-71");
    fireEvent.click(screen.getByRole("button", { name: "Change password" }));
    await heading("This reset is already finished");
  });

  it("uses the email method's reset too (two-type reset reaches the password step)", async () => {
    const methods = [EMAIL, TOTP];
    fakeWorker()
      .on("POST /v1/resets", started({ methodsRequired: 2, methods }))
      .on("POST /v1/resets/rst_1/verify", { status: 200, body: reset({ methodsRequired: 2, methods, verifiedMethodIds: [TOTP.id] }) }, { status: 200, body: reset({ methodsRequired: 2, methods, status: "verified", verifiedMethodIds: [TOTP.id, EMAIL.id] }) })
      .on("POST /v1/resets/rst_1/challenges", { status: 202, body: { challenge: { methodId: EMAIL.id, type: "email", expiresAt: new Date(Date.now() + 600_000).toISOString() } } });
    await openPopup();
    await startAs();
    await chooseMethod(/authenticator app/, "Continue", "Enter the code from your app");
    typeCode("123456");
    pressVerify();
    await heading("One more check");
    await chooseMethod(/Email a code/, "Send code", "Check your email");
    typeCode("12345678");
    pressVerify();
    await heading("Choose a new password");
    expect(screen.getByText("Step 4 of 4")).toBeTruthy();
  });
});
