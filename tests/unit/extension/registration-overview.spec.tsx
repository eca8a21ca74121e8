import { fireEvent, screen, waitFor, within } from "@testing-library/preact";
import { describe, expect, it } from "vitest";
import { fakeBrowser } from "wxt/testing/fake-browser";
import { signInStore } from "../../../extension/storage.js";
import { CONFIG, fakeWorker } from "./support/fake-worker.js";
import { meReply, method, openRegistrationPage, registration, TOKEN, user } from "./support/signin.js";

const EMAIL = method("mth_email", "email", "j•••@e•••.com");
const TOTP = method("mth_totp", "totp", "Work phone");
const PENDING_SMS = method("mth_sms", "sms", "•••••••1234", "pending");
const complete = registration({ methods: [EMAIL, TOTP], complete: true, required: false });
/** Complete, and last confirmed longer ago than the policy's reconfirmDays: the worker asks again. */
const due = registration({ methods: [EMAIL, TOTP], complete: true, required: false, reconfirmDue: true });

const statusLine = () => document.querySelector(".status-line")?.textContent ?? "";
const addButtons = () => [...document.querySelectorAll("button.add")].map((b) => b.textContent);

describe("registration page: overview", () => {
  it("lists the methods with their type, masked hint and status, and says the user is set up", async () => {
    const worker = fakeWorker().on("GET /v1/me", meReply(registration({ methods: [EMAIL, TOTP, PENDING_SMS], complete: true, required: false })));
    await openRegistrationPage("Your recovery info");
    const rows = [...document.querySelectorAll(".method-row")].map((r) => r.textContent);
    expect(rows).toEqual([
      expect.stringContaining("Emailj•••@e•••.com✓ Verified"),
      expect.stringContaining("Authenticator appWork phone✓ Verified"),
      expect.stringContaining("Mobile phone•••••••1234! Not verified yet"),
    ]);
    expect(statusLine()).toContain("You're set up: if you forget your password, reset it yourself with the OpenSSPR button in your browser's toolbar.");
    expect(screen.getByRole("button", { name: "Verify Mobile phone (•••••••1234)" })).toBeTruthy();
    expect(screen.getByRole("button", { name: "Remove Email (j•••@e•••.com)" })).toBeTruthy();
    // The page holds no token: the background sends it.
    expect(worker.calls.find((c) => c.route === "GET /v1/me")?.headers.Authorization).toBe(`Bearer ${TOKEN}`);
  });

  it("names an app the user left unnamed once, not \"Authenticator app Authenticator app\"", async () => {
    const unnamed = method("mth_app", "totp", "Authenticator app");
    fakeWorker().on("GET /v1/me", meReply(registration({ methods: [EMAIL, unnamed], complete: true, required: false })));
    await openRegistrationPage("Your recovery info");
    const row = [...document.querySelectorAll(".method-row")][1]!;
    expect(row.querySelector(".method-type")?.textContent).toBe("Authenticator app");
    expect(row.querySelector(".method-hint")).toBeNull();
    expect(row.textContent).not.toContain("Authenticator appAuthenticator app");
    expect(screen.getByRole("button", { name: "Remove Authenticator app" })).toBeTruthy();
    // A named one keeps its name beside the type.
    expect(screen.queryByRole("button", { name: "Remove Authenticator app (Authenticator app)" })).toBeNull();
  });

  it("names the account plainly, so a user signed in to someone else's account by a page notices (login CSRF)", async () => {
    fakeWorker().on("GET /v1/me", meReply());
    await openRegistrationPage("Set up password recovery");
    expect(document.querySelector(".account")?.textContent).toBe("You are setting up recovery for jane@example.test. If that isn't your account, close this page.");
    expect(document.querySelector(".account strong")?.textContent).toBe("jane@example.test");
  });

  it.each([
    ["no method yet", registration(), user(), "Add 1 method to finish."],
    ["one of two", registration({ methodsRequired: 2, methods: [EMAIL] }), user(), "Add 1 more method, of a different kind from the one you have."],
    ["none of two", registration({ methodsRequired: 2 }), user(), "Add 2 methods, each of a different kind."],
    ["an admin with one", registration({ methodsRequired: 2, methods: [EMAIL] }), user({ roles: ["global_admin"] }), "As an administrator, you need 2 methods of different kinds: add 1 more"],
    ["only security questions", registration({ methods: [method("mth_q", "security_questions", "3 questions")] }), user(), "security questions alone aren't enough"],
  ])("says what the policy still needs: %s", async (_, reg, u, text) => {
    const withQuestions = { ...CONFIG, methods: { required: 1, available: ["email", "sms", "totp", "security_questions"] as const } };
    fakeWorker().on("GET /v1/config", { status: 200, body: withQuestions }).on("GET /v1/me", meReply(reg, u));
    await openRegistrationPage("Set up password recovery");
    expect(statusLine()).toContain(text);
  });

  it("offers the kinds of method the policy allows this user: never security questions for an admin", async () => {
    const withQuestions = { ...CONFIG, methods: { required: 1, available: ["email", "sms", "totp", "security_questions"] as const } };
    fakeWorker().on("GET /v1/config", { status: 200, body: withQuestions }).on("GET /v1/me", meReply());
    await openRegistrationPage();
    expect(addButtons()).toEqual(["Add an email address", "Add a mobile phone", "Add an authenticator app", "Set up security questions"]);
  });

  it("asks for questions the policy no longer offers enough of to be answered again, and offers to change them", async () => {
    const withQuestions = { ...CONFIG, methods: { required: 2, available: ["email", "sms", "totp", "security_questions"] as const } };
    const questions = method("mth_sq", "security_questions", "3 questions", "pending");
    fakeWorker().on("GET /v1/config", { status: 200, body: withQuestions }).on("GET /v1/me", meReply(registration({ methodsRequired: 2, methods: [EMAIL, questions] })));
    await openRegistrationPage("Set up password recovery");
    const row = [...document.querySelectorAll(".method-row")][1]!;
    expect(row.querySelector(".method-status")?.textContent).toBe("! Answer them again to use them");
    expect(row.querySelector("button")?.textContent).not.toBe("Verify");
    expect(addButtons()).toContain("Change your security questions");
  });

  it("keeps security questions from an admin even when the policy offers them", async () => {
    const withQuestions = { ...CONFIG, methods: { required: 1, available: ["email", "totp", "security_questions"] as const } };
    fakeWorker().on("GET /v1/config", { status: 200, body: withQuestions }).on("GET /v1/me", meReply(registration({ methodsRequired: 2 }), user({ roles: ["password_admin"] })));
    await openRegistrationPage();
    expect(addButtons()).toEqual(["Add an email address", "Add a mobile phone", "Add an authenticator app"]);
  });

  it("asks whether the info is still right when a re-confirmation is due, and stops asking once confirmed", async () => {
    const worker = fakeWorker()
      .on("GET /v1/me", meReply(due))
      .on("POST /v1/me/registration/confirm", { status: 200, body: { registration: { ...due, reconfirmDue: false, lastConfirmedAt: "2026-11-25T00:00:00.000Z" } } });
    await openRegistrationPage("Your recovery info");
    expect(screen.getByRole("heading", { level: 2, name: "Is this still right?" })).toBeTruthy();
    fireEvent.click(screen.getByRole("button", { name: "My info is current" }));
    await waitFor(() => expect(screen.getByRole("status").textContent).toBe("Thanks. Your recovery info is confirmed as current."));
    expect(worker.calls.some((c) => c.route === "POST /v1/me/registration/confirm")).toBe(true);
    // Answered: the question and its button go, and focus doesn't fall to the page body.
    expect(screen.queryByRole("button", { name: "My info is current" })).toBeNull();
    expect(screen.queryByText("Is this still right?")).toBeNull();
    expect(document.activeElement).toBe(screen.getByRole("heading", { level: 1 }));
    expect(screen.getByRole("button", { name: "Done" }).className).toBe("primary");
  });

  it("doesn't ask whether the info is still right when no re-confirmation is due (just added or confirmed): Done is the main button", async () => {
    fakeWorker().on("GET /v1/me", meReply(complete));
    await openRegistrationPage("Your recovery info");
    expect(screen.queryByRole("button", { name: "My info is current" })).toBeNull();
    expect(screen.queryByText("Is this still right?")).toBeNull();
    const buttons = [...document.querySelectorAll("button.primary")].map((b) => b.textContent);
    expect(buttons).toEqual(["Done"]);
  });

  it("has no confirm button while registration is incomplete, even when a re-confirmation is due", async () => {
    fakeWorker().on("GET /v1/me", meReply(registration({ reconfirmDue: true })));
    await openRegistrationPage();
    expect(screen.queryByRole("button", { name: "My info is current" })).toBeNull();
    expect(screen.getByRole("button", { name: "Finish later" })).toBeTruthy();
  });

  it("asks before removing a method, warns when that would leave too few, and removes it", async () => {
    const worker = fakeWorker()
      .on("GET /v1/me", meReply(registration({ methods: [EMAIL], complete: true, required: false })), meReply())
      .on("DELETE /v1/me/methods/mth_email", { status: 204 });
    await openRegistrationPage("Your recovery info");
    fireEvent.click(screen.getByRole("button", { name: "Remove Email (j•••@e•••.com)" }));
    await screen.findByRole("heading", { level: 1, name: "Remove this method?" });
    expect(screen.getByText("You won't be able to reset your password with Email (j•••@e•••.com) any more.")).toBeTruthy();
    expect(screen.getByText(/you won't have enough methods/)).toBeTruthy();
    fireEvent.click(screen.getByRole("button", { name: "Remove" }));
    await screen.findByRole("heading", { level: 1, name: "Set up password recovery" });
    expect(screen.getByRole("status").textContent).toBe("Removed.");
    expect(worker.calls.filter((c) => c.route === "DELETE /v1/me/methods/mth_email")).toHaveLength(1);
  });

  it("keeps the method when the user changes their mind", async () => {
    const worker = fakeWorker().on("GET /v1/me", meReply(complete));
    await openRegistrationPage("Your recovery info");
    fireEvent.click(screen.getByRole("button", { name: "Remove Authenticator app (Work phone)" }));
    await screen.findByRole("heading", { level: 1, name: "Remove this method?" });
    expect(screen.queryByText(/you won't have enough methods/)).toBeNull();
    fireEvent.click(screen.getByRole("button", { name: "Keep it" }));
    await screen.findByRole("heading", { level: 1, name: "Your recovery info" });
    expect(worker.calls.some((c) => c.route.startsWith("DELETE"))).toBe(false);
  });

  it("lets go of the session and closes its tab when done", async () => {
    const worker = fakeWorker().on("GET /v1/me", meReply(complete)).on("DELETE /v1/sessions/current", { status: 204 });
    await openRegistrationPage("Your recovery info");
    fireEvent.click(screen.getByRole("button", { name: "Done" }));
    await waitFor(() => expect(fakeBrowser.tabs.remove).toHaveBeenCalledWith(7));
    await waitFor(() => expect(worker.calls.some((c) => c.route === "DELETE /v1/sessions/current")).toBe(true));
    expect((await signInStore.get()).sessions).toEqual({});
  });

  it("uses the same frame as the popup: the org name on top and a helpdesk link", async () => {
    fakeWorker().on("GET /v1/me", meReply());
    await openRegistrationPage();
    expect(document.querySelector(".org")?.textContent).toBe("Example Corp");
    expect(within(document.querySelector("footer.helpdesk") as HTMLElement).getByRole("link", { name: "Contact your helpdesk" })).toBeTruthy();
  });
});
