import { fireEvent, screen, waitFor } from "@testing-library/preact";
import { describe, expect, it } from "vitest";
import { alertText } from "./support/render-popup.js";
import { apiError, fakeWorker, type FakeWorker } from "./support/fake-worker.js";
import { meReply, method, openRegistrationPage, registration } from "./support/signin.js";

const NEW_EMAIL = method("mth_new", "email", "j•••@p•••.example", "pending");
const NEW_SMS = method("mth_new", "sms", "•••••••3456", "pending");
const ADD = "POST /v1/me/methods";
const VERIFY = "POST /v1/me/methods/mth_new/verify";
const RESEND = "POST /v1/me/methods/mth_new/resend";
const heading = (name: string | RegExp) => screen.findByRole("heading", { level: 1, name });
const codeInput = () => screen.getByLabelText("Code") as HTMLInputElement;

async function toEmailCode(setup: (w: FakeWorker) => void = () => {}) {
  const worker = fakeWorker().on("GET /v1/me", meReply()).on(ADD, { status: 201, body: { method: NEW_EMAIL } });
  setup(worker);
  await openRegistrationPage();
  fireEvent.click(screen.getByRole("button", { name: "Add an email address" }));
  await heading("Add an email address");
  fireEvent.input(screen.getByLabelText("Email address"), { target: { value: " jane@personal.example " } });
  fireEvent.click(screen.getByRole("button", { name: "Send code" }));
  await heading("Check your email");
  return worker;
}

const enterCode = (code: string) => {
  fireEvent.input(codeInput(), { target: { value: code } });
  fireEvent.click(screen.getByRole("button", { name: "Verify" }));
};

describe("registration page: email and phone", () => {
  it("adds an email address, then verifies the code that was sent to it", async () => {
    const done = registration({ methods: [{ ...NEW_EMAIL, status: "active" }], complete: true, required: false });
    const worker = await toEmailCode((w) => w.on(VERIFY, { status: 200, body: { method: { ...NEW_EMAIL, status: "active" } } }).on("GET /v1/me", meReply(), meReply(done)));
    expect(worker.calls.find((c) => c.route === ADD)?.body).toEqual({ type: "email", email: "jane@personal.example" });
    expect(screen.getByText("We sent a code to j•••@p•••.example.")).toBeTruthy();
    expect(codeInput().getAttribute("autocomplete")).toBe("one-time-code");
    expect(codeInput().getAttribute("inputmode")).toBe("numeric");
    enterCode("1234 5678");
    // Back to the methods, as after any change: the status says what was added, the overview that
    // the registration is now complete, and "Done" closes the page.
    const title = await heading("Your recovery info");
    expect(screen.getByRole("status").textContent).toBe("Email address added.");
    expect(screen.getByText("You're set up: if you forget your password, reset it yourself with the OpenSSPR button in your browser's toolbar.")).toBeTruthy();
    expect(screen.getByRole("button", { name: "Done" })).toBeTruthy();
    expect(document.activeElement).toBe(title);
    expect(worker.calls.find((c) => c.route === VERIFY)?.body).toEqual({ code: "12345678" });
  });

  it("checks the address before sending anything", async () => {
    const worker = fakeWorker().on("GET /v1/me", meReply());
    await openRegistrationPage();
    fireEvent.click(screen.getByRole("button", { name: "Add an email address" }));
    await heading("Add an email address");
    fireEvent.input(screen.getByLabelText("Email address"), { target: { value: "jane at home" } });
    fireEvent.click(screen.getByRole("button", { name: "Send code" }));
    expect(await alertText()).toBe("Enter an email address, such as name@example.com.");
    expect(worker.calls.some((c) => c.route === ADD)).toBe(false);
  });

  it("says a wrong code is wrong, with the attempts left, and starts the next try from an empty field", async () => {
    await toEmailCode((w) => w.on(VERIFY, apiError(400, "invalid_code", { details: [{ attemptsLeft: 4 }] })));
    enterCode("00000000");
    expect(await alertText()).toBe("That code isn't right. You have 4 attempts left.");
    await waitFor(() => expect(codeInput().value).toBe(""));
    expect(document.activeElement).toBe(codeInput());
  });

  it("offers a new code when the code expired, and confirms it was sent", async () => {
    const worker = await toEmailCode((w) =>
      w.on(VERIFY, apiError(400, "code_expired")).on(RESEND, { status: 202, body: { expiresAt: new Date(Date.now() + 10 * 60_000).toISOString() } }),
    );
    enterCode("12345678");
    expect(await alertText()).toBe("This code has expired. Send a new code.");
    fireEvent.click(screen.getByRole("button", { name: "Send a new code" }));
    await waitFor(() => expect(screen.getByRole("status").textContent).toBe("We sent a new code to j•••@p•••.example. Earlier codes no longer work."));
    expect(screen.getByText(/It works for 10 minutes\./)).toBeTruthy();
    expect(worker.calls.filter((c) => c.route === RESEND)).toHaveLength(1);
  });

  it("shows the wait before another code can be sent as a calm status, and counts it down on the button", async () => {
    await toEmailCode((w) => w.on(RESEND, apiError(429, "rate_limited", { retryAfter: 60 })));
    fireEvent.click(screen.getByRole("button", { name: "Send a new code" }));
    await waitFor(() => expect(screen.getByRole("status").textContent).toBe("A code was sent a moment ago. You can ask for another in 1 minute."));
    expect(screen.getByRole("alert").textContent).toBe("");
    const button = await screen.findByRole("button", { name: /^Send a new code in (60|59) seconds$/ });
    expect(button.getAttribute("aria-disabled")).toBe("true");
  });

  it.each([
    ["already registered", [], apiError(409, "conflict"), "That's already one of your methods."],
    ["at the limit of 5", [1, 2, 3, 4, 5].map((i) => method(`mth_${i}`, "email", `e${i}`)), apiError(409, "conflict"), "You already have 5 of this kind, the most allowed. Remove one first."],
    ["not allowed by the policy", [], apiError(422, "method_not_allowed_by_policy"), "Your organisation doesn't allow this kind of method for your account. Choose another kind."],
    ["over the send limits", [], apiError(429, "rate_limited", { retryAfter: 300 }), "Too many codes were sent. Try again in 5 minutes."],
  ])("explains an address refused as %s", async (_, methods, reply, text) => {
    fakeWorker().on("GET /v1/me", meReply(registration({ methods }))).on(ADD, reply);
    await openRegistrationPage();
    fireEvent.click(screen.getByRole("button", { name: "Add an email address" }));
    await heading("Add an email address");
    fireEvent.input(screen.getByLabelText("Email address"), { target: { value: "jane@personal.example" } });
    fireEvent.click(screen.getByRole("button", { name: "Send code" }));
    expect(await alertText()).toBe(text);
  });

  it("adds a mobile phone in international format, and explains a number that can't get texts", async () => {
    const worker = fakeWorker()
      .on("GET /v1/me", meReply())
      .on(ADD, apiError(400, "invalid_request", { details: [{ path: "phone", message: "…" }] }), { status: 201, body: { method: NEW_SMS } });
    await openRegistrationPage();
    fireEvent.click(screen.getByRole("button", { name: "Add a mobile phone" }));
    await heading("Add a mobile phone");
    expect(screen.getByText(/In international format: \+ and the country code/)).toBeTruthy();
    const number = screen.getByLabelText("Mobile number") as HTMLInputElement;
    expect(number.type).toBe("tel");
    fireEvent.input(number, { target: { value: "07911 123456" } });
    fireEvent.click(screen.getByRole("button", { name: "Send code" }));
    expect(await alertText()).toBe("Enter the number with + and the country code, for example +44\u00a07911\u00a0123456.");
    expect(worker.calls.some((c) => c.route === ADD)).toBe(false);

    fireEvent.input(number, { target: { value: "+44 20 7946 0000" } });
    fireEvent.click(screen.getByRole("button", { name: "Send code" }));
    await waitFor(() => expect(worker.calls.filter((c) => c.route === ADD)).toHaveLength(1));
    // A landline is international already: the worker refuses it as a number that can't get texts.
    expect(await alertText()).toContain("We can't send texts to that number.");

    fireEvent.input(number, { target: { value: "+44 7911 123456" } });
    fireEvent.click(screen.getByRole("button", { name: "Send code" }));
    await heading("Check your phone");
    expect(screen.getByText("We texted a code to •••••••3456.")).toBeTruthy();
    expect(worker.calls.filter((c) => c.route === ADD)[1]?.body).toEqual({ type: "sms", phone: "+44 7911 123456" });
  });

  it("continues verifying a pending phone from the list with a fresh code", async () => {
    const worker = fakeWorker()
      .on("GET /v1/me", meReply(registration({ methods: [NEW_SMS] })))
      .on(RESEND, { status: 202, body: { expiresAt: new Date(Date.now() + 10 * 60_000).toISOString() } });
    await openRegistrationPage();
    fireEvent.click(screen.getByRole("button", { name: "Verify Mobile phone (•••••••3456)" }));
    await heading("Check your phone");
    expect(worker.calls.filter((c) => c.route === RESEND)).toHaveLength(1);
  });

  it("returns to the list after a phone is verified, saying what was added and what is still needed", async () => {
    const pending = registration({ methods: [NEW_SMS], methodsRequired: 2 });
    const after = registration({ methods: [{ ...NEW_SMS, status: "active" }], methodsRequired: 2 });
    fakeWorker()
      .on("GET /v1/me", meReply(pending), meReply(after))
      .on(RESEND, { status: 202, body: { expiresAt: new Date(Date.now() + 10 * 60_000).toISOString() } })
      .on(VERIFY, { status: 200, body: { method: { ...NEW_SMS, status: "active" } } });
    await openRegistrationPage();
    fireEvent.click(screen.getByRole("button", { name: "Verify Mobile phone (•••••••3456)" }));
    await heading("Check your phone");
    enterCode("12345678");
    const title = await heading("Set up password recovery");
    expect(screen.getByRole("status").textContent).toBe("Mobile phone added.");
    expect(screen.getByText("Add 1 more method, of a different kind from the one you have.")).toBeTruthy();
    expect(screen.getByRole("button", { name: "Finish later" })).toBeTruthy();
    expect(document.activeElement).toBe(title);
  });

  it("goes back to the list without adding anything", async () => {
    const worker = fakeWorker().on("GET /v1/me", meReply());
    await openRegistrationPage();
    fireEvent.click(screen.getByRole("button", { name: "Add a mobile phone" }));
    await heading("Add a mobile phone");
    fireEvent.click(screen.getByRole("button", { name: "Back to your methods" }));
    await heading("Set up password recovery");
    expect(worker.calls.some((c) => c.route === ADD)).toBe(false);
  });
});
