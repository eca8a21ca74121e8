import { fireEvent, screen } from "@testing-library/preact";
import { describe, expect, it } from "vitest";
import { describeRegistrationError, type RegContext } from "../../../extension/registration/errors.js";
import type { ClientError } from "../../../extension/result.js";
import { signInStore } from "../../../extension/storage.js";
import { apiError, fakeWorker, networkDown } from "./support/fake-worker.js";
import { meReply, method, openRegistrationPage, registration } from "./support/signin.js";

const heading = (name: string | RegExp) => screen.findByRole("heading", { level: 1, name });
const err = (code: ClientError["code"], extra: Partial<ClientError> = {}): ClientError => ({ code, message: "worker's words", ...extra });

describe("registration page: errors", () => {
  it("asks a page with no sign-in behind it to sign in again, naming the organisation", async () => {
    fakeWorker();
    await openRegistrationPage("Sign in again to continue", { session: false });
    expect(screen.getByText(/Your session ended, so this page can't make changes any more\. Sign in again on your organisation's sign-in page/)).toBeTruthy();
    await screen.findByText("Example Corp");
  });

  it("ends at the same screen when the worker says the session ended mid-way, and forgets it", async () => {
    fakeWorker().on("GET /v1/me", meReply()).on("POST /v1/me/methods", apiError(401, "unauthorized"));
    await openRegistrationPage();
    fireEvent.click(screen.getByRole("button", { name: "Add an email address" }));
    await heading("Add an email address");
    fireEvent.input(screen.getByLabelText("Email address"), { target: { value: "jane@personal.example" } });
    fireEvent.click(screen.getByRole("button", { name: "Send code" }));
    await heading("Sign in again to continue");
    expect((await signInStore.get()).tabs).toEqual({});
  });

  it("asks for a password change first when the session can't do anything else", async () => {
    fakeWorker().on("GET /v1/me", apiError(403, "password_change_required"));
    await openRegistrationPage("Sign in again to continue");
    expect(screen.getByText(/You need to change your password first/)).toBeTruthy();
  });

  it("offers to try again when the service can't be reached", async () => {
    networkDown();
    await openRegistrationPage("Can't reach the password service");
    expect(screen.getByRole("alert").textContent).toContain("Check your internet connection");
    fakeWorker().on("GET /v1/me", meReply(registration({ methods: [method("m", "email", "j•••@e•••.com")], complete: true, required: false })));
    fireEvent.click(screen.getByRole("button", { name: "Try again" }));
    await heading("Your recovery info");
  });
});

describe("registration error texts", () => {
  it.each<[string, ClientError, RegContext, number, string]>([
    ["wrong code", err("invalid_code", { details: [{ attemptsLeft: 3 }] }), "code", 0, "That code isn't right. You have 3 attempts left."],
    ["last attempt", err("invalid_code", { details: [{ attemptsLeft: 1 }] }), "code", 0, "That code isn't right. You have 1 attempt left."],
    ["expired code", err("code_expired"), "code", 0, "This code has expired. Send a new code."],
    ["resend too soon", err("rate_limited", { retryAfterSeconds: 42 }), "resend", 0, "A code was sent a moment ago. You can ask for another in 42 seconds."],
    ["too many codes on add", err("rate_limited", { retryAfterSeconds: 3600 }), "add-sms", 0, "Too many codes were sent. Try again in 1 hour."],
    ["too many wrong app codes", err("rate_limited", { retryAfterSeconds: 600 }), "code", 0, "Too many attempts. Try again in 10 minutes."],
    ["not allowed", err("method_not_allowed_by_policy"), "add-totp", 0, "Your organisation doesn't allow this kind of method for your account. Choose another kind."],
    ["number's country not allowed", err("method_not_allowed_by_policy", { details: [{ path: "phone" }] }), "add-sms", 0, "Your organisation doesn't send texts to numbers in that country. Use a mobile number from another country, or choose another kind of method."],
    ["duplicate", err("conflict"), "add-email", 1, "That's already one of your methods."],
    ["limit", err("conflict"), "add-totp", 5, "You already have 5 of this kind, the most allowed. Remove one first."],
    ["confirm too early", err("conflict"), "confirm", 0, "Add enough methods first, then confirm."],
    ["bad phone", err("invalid_request"), "add-sms", 0, "We can't send texts to that number. Enter a mobile number with + and the country code, for example +44\u00a07911\u00a0123456."],
    ["session ended", err("unauthorized"), "general", 0, "Your session ended, so this page can't make changes any more. Sign in again on your organisation's sign-in page, then choose Set up now."],
    ["method gone", err("not_found"), "remove", 0, "That method no longer exists. It may have been removed in another window."],
    ["network", err("network"), "general", 0, "Check your internet connection, then try again. If it keeps happening, the service may be down."],
  ])("%s", (_, error, context, ofType, text) => {
    expect(describeRegistrationError(error, context, ofType).message).toBe(text);
  });
});
