import { waitFor } from "@testing-library/preact";
import { afterEach, describe, expect, it } from "vitest";
import { startSignInPrompts, type SignInPrompts } from "../../../extension/prompt/content.js";
import { PROMPT_TAG } from "../../../extension/prompt/prompt-view.js";
import { apiError, fakeWorker, type Reply } from "./support/fake-worker.js";
import { contentSender, registration, sendAs, startFullBackground, user } from "./support/signin.js";

const FORM = `<form id="login" action="/session" method="post">
  <h1>Sign in</h1>
  <label for="u">Email</label><input id="u" name="username" autocomplete="username">
  <label for="p">Password</label><input id="p" name="password" type="password" autocomplete="current-password">
  <button type="submit">Sign in</button></form>`;

const session = (reg = registration()): Reply => ({
  status: 201,
  body: { token: "tok", expiresAt: new Date(Date.now() + 3600_000).toISOString(), user: user(), registration: reg },
});

let running: SignInPrompts | null = null;
afterEach(() => {
  running?.stop();
  running = null;
  document.body.innerHTML = "";
});

/** A sign-in page with the content script running, as Chrome injects it at document_idle. */
async function signInPage() {
  document.body.innerHTML = FORM;
  // The page handles its own submit (as the demo page does), so nothing navigates.
  document.getElementById("login")!.addEventListener("submit", (e) => e.preventDefault());
  await startFullBackground();
  sendAs(contentSender());
  running = startSignInPrompts(document);
  // happy-dom can't make trusted events: the user's typing is an input event marked as Chrome marks it.
  return (username: string, password: string, by: "user" | "script" = "user") => {
    (document.getElementById("u") as HTMLInputElement).value = username;
    const field = document.getElementById("p") as HTMLInputElement;
    field.value = password;
    const input = new Event("input", { bubbles: true, composed: true });
    if (by === "user") Object.defineProperty(input, "isTrusted", { value: true });
    field.dispatchEvent(input);
    document.getElementById("login")!.dispatchEvent(new Event("submit", { bubbles: true, cancelable: true }));
  };
}

describe("sign-in content script", () => {
  it("hands the typed credentials to the background once on submit, and shows the prompt it asks for", async () => {
    const worker = fakeWorker().on("POST /v1/sessions", session());
    const submit = await signInPage();
    submit("jane@example.test", "correct-horse-battery");
    await waitFor(() => expect(document.querySelector(PROMPT_TAG)).not.toBeNull());
    expect(running?.current()?.root.textContent).toContain("Set up password recovery");
    expect(worker.calls.filter((c) => c.route === "POST /v1/sessions").map((c) => c.body)).toEqual([{ username: "jane@example.test", password: "correct-horse-battery" }]);
  });

  it("sends nothing for credentials the page's script filled in and submitted (login CSRF)", async () => {
    const worker = fakeWorker().on("POST /v1/sessions", session());
    const submit = await signInPage();
    submit("attacker@example.test", "attackers-own-password", "script");
    await new Promise((r) => setTimeout(r, 50));
    expect(worker.calls.some((c) => c.route === "POST /v1/sessions")).toBe(false);
    expect(document.querySelector(PROMPT_TAG)).toBeNull();
  });

  it("shows nothing after a wrong password", async () => {
    const worker = fakeWorker().on("POST /v1/sessions", apiError(401, "invalid_credentials"));
    const submit = await signInPage();
    submit("jane@example.test", "wrong-password");
    await waitFor(() => expect(worker.calls.some((c) => c.route === "POST /v1/sessions")).toBe(true));
    await new Promise((r) => setTimeout(r, 50));
    expect(document.querySelector(PROMPT_TAG)).toBeNull();
  });

  it("shows nothing for a registered user", async () => {
    const worker = fakeWorker().on("POST /v1/sessions", session(registration({ complete: true, required: false }))).on("DELETE /v1/sessions/current", { status: 204 });
    const submit = await signInPage();
    submit("jane@example.test", "correct-horse-battery");
    await waitFor(() => expect(worker.calls.some((c) => c.route === "DELETE /v1/sessions/current")).toBe(true));
    expect(document.querySelector(PROMPT_TAG)).toBeNull();
  });

  it("sends nothing without a username (the worker could check nothing)", async () => {
    const worker = fakeWorker();
    const submit = await signInPage();
    submit("", "correct-horse-battery");
    await new Promise((r) => setTimeout(r, 50));
    expect(worker.calls.some((c) => c.route === "POST /v1/sessions")).toBe(false);
  });
});
