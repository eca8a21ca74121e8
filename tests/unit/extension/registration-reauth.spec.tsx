import { fireEvent, screen, waitFor } from "@testing-library/preact";
import { describe, expect, it } from "vitest";
import { alertText } from "./support/render-popup.js";
import { apiError, fakeWorker, type FakeWorker } from "./support/fake-worker.js";
import { meReply, method, openRegistrationPage, registration, TOKEN } from "./support/signin.js";

/*
 * Issue 11: the worker lets a session change recovery methods only for 10 minutes after the password
 * was proved (403 reauth_required). The page then asks for the password, proves it through the
 * background (which alone holds the token), and finishes what the user was doing.
 */

const NEW_EMAIL = method("mth_new", "email", "j•••@p•••.example", "pending");
const EMAIL = method("mth_email", "email", "j•••@e•••.com");
const ADD = "POST /v1/me/methods";
const REAUTH = "POST /v1/sessions/current/reauth";
const REMOVE = "DELETE /v1/me/methods/mth_email";
const heading = (name: string | RegExp) => screen.findByRole("heading", { level: 1, name });
const passwordInput = () => screen.getByLabelText("Password for jane@example.test") as HTMLInputElement;
const fresh = { status: 200, body: { freshUntil: new Date(Date.now() + 600_000).toISOString() } };

async function addEmail(worker: FakeWorker) {
  await openRegistrationPage();
  fireEvent.click(screen.getByRole("button", { name: "Add an email address" }));
  await heading("Add an email address");
  fireEvent.input(screen.getByLabelText("Email address"), { target: { value: "jane@personal.example" } });
  fireEvent.click(screen.getByRole("button", { name: "Send code" }));
  await heading("Confirm it's you");
  return worker;
}

const enterPassword = (password: string) => {
  fireEvent.input(passwordInput(), { target: { value: password } });
  fireEvent.click(screen.getByRole("button", { name: "Continue" }));
};

describe("registration page: confirm it's you", () => {
  it("asks for the password when the session is no longer fresh, proves it, then sends the code it was asked to", async () => {
    const worker = await addEmail(fakeWorker().on("GET /v1/me", meReply()).on(ADD, apiError(403, "reauth_required"), { status: 201, body: { method: NEW_EMAIL } }).on(REAUTH, fresh));
    expect(screen.getByText("Enter your password to keep changing your recovery info.")).toBeTruthy();
    // A calm step, not an error: nothing in the alert region.
    expect(document.querySelector("[role=alert]")?.textContent ?? "").toBe("");
    expect(passwordInput().getAttribute("type")).toBe("password");
    expect(passwordInput().getAttribute("autocomplete")).toBe("current-password");
    expect(document.activeElement).toBe(passwordInput());
    fireEvent.input(passwordInput(), { target: { value: "Correct-Horse-Battery-Staple-42" } });
    fireEvent.click(screen.getByRole("button", { name: "Show password" }));
    expect(passwordInput().getAttribute("type")).toBe("text");
    fireEvent.click(screen.getByRole("button", { name: "Continue" }));

    await heading("Check your email");
    const reauth = worker.calls.find((c) => c.route === REAUTH)!;
    expect(reauth.body).toEqual({ password: "Correct-Horse-Battery-Staple-42" });
    expect(reauth.headers.Authorization).toBe(`Bearer ${TOKEN}`);
    // The same add, once refused and once done.
    expect(worker.calls.filter((c) => c.route === ADD).map((c) => c.body)).toEqual([
      { type: "email", email: "jane@personal.example" },
      { type: "email", email: "jane@personal.example" },
    ]);
  });

  it("says a wrong password is wrong, empties the field, and lets the user try again", async () => {
    const worker = await addEmail(
      fakeWorker().on("GET /v1/me", meReply()).on(ADD, apiError(403, "reauth_required"), { status: 201, body: { method: NEW_EMAIL } }).on(REAUTH, apiError(401, "invalid_credentials"), fresh),
    );
    enterPassword("not-my-password");
    expect(await alertText()).toBe("That password isn't right. Check it and try again.");
    await waitFor(() => expect(passwordInput().value).toBe(""));
    expect(passwordInput().getAttribute("aria-invalid")).toBe("true");
    expect(screen.getByRole("heading", { level: 1 }).textContent).toBe("Confirm it's you");
    enterPassword("Correct-Horse-Battery-Staple-42");
    await heading("Check your email");
    expect(worker.calls.filter((c) => c.route === REAUTH)).toHaveLength(2);
  });

  it("shows the wait when the account is locked (429)", async () => {
    await addEmail(fakeWorker().on("GET /v1/me", meReply()).on(ADD, apiError(403, "reauth_required")).on(REAUTH, apiError(429, "rate_limited", { retryAfter: 240 })));
    enterPassword("Correct-Horse-Battery-Staple-42");
    expect(await alertText()).toBe("Too many wrong passwords. Try again in 4 minutes.");
  });

  it("asks for nothing when the password field is empty", async () => {
    const worker = await addEmail(fakeWorker().on("GET /v1/me", meReply()).on(ADD, apiError(403, "reauth_required")).on(REAUTH, fresh));
    fireEvent.click(screen.getByRole("button", { name: "Continue" }));
    expect(await alertText()).toBe("Enter your password.");
    expect(worker.calls.some((c) => c.route === REAUTH)).toBe(false);
  });

  it("goes back where the user was on Cancel, without retrying", async () => {
    const worker = await addEmail(fakeWorker().on("GET /v1/me", meReply()).on(ADD, apiError(403, "reauth_required")).on(REAUTH, fresh));
    fireEvent.click(screen.getByRole("button", { name: "Cancel" }));
    await heading("Add an email address");
    expect(worker.calls.filter((c) => c.route === ADD)).toHaveLength(1);
    expect(worker.calls.some((c) => c.route === REAUTH)).toBe(false);
  });

  it("finishes a removal after the password, back on the overview", async () => {
    const withEmail = registration({ methods: [EMAIL], complete: true, required: false });
    const worker = fakeWorker().on("GET /v1/me", meReply(withEmail), meReply(withEmail), meReply()).on(REMOVE, apiError(403, "reauth_required"), { status: 204 }).on(REAUTH, fresh);
    await openRegistrationPage("Your recovery info");
    fireEvent.click(screen.getByRole("button", { name: "Remove Email (j•••@e•••.com)" }));
    await heading("Remove this method?");
    fireEvent.click(screen.getByRole("button", { name: "Remove" }));
    await heading("Confirm it's you");
    enterPassword("Correct-Horse-Battery-Staple-42");
    await heading("Your recovery info");
    await waitFor(() => expect(screen.getByRole("status").textContent).toBe("Removed."));
    expect(worker.calls.filter((c) => c.route === REMOVE)).toHaveLength(2);
  });
});
