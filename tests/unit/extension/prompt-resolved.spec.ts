import { waitFor } from "@testing-library/preact";
import { afterEach, describe, expect, it, vi } from "vitest";
import type { Browser } from "wxt/browser";
import { fakeBrowser } from "wxt/testing/fake-browser";
import { PROMPT_RESOLVED, sendMessage } from "../../../extension/messaging.js";
import { startSignInPrompts, type SignInPrompts } from "../../../extension/prompt/content.js";
import { PROMPT_TAG } from "../../../extension/prompt/prompt-view.js";
import { fakeWorker } from "./support/fake-worker.js";
import { contentSender, meReply, method, pageSender, registration, sendAs, startFullBackground, user } from "./support/signin.js";

/*
 * Issue 16: a prompt left open in an older tab, once the same user has finished registering (or
 * re-confirmed) on the registration page opened from another tab, closes instead of asking again.
 */

const EMAIL = method("m1", "email", "j•••@e•••.com");
const done = registration({ methods: [EMAIL], complete: true, required: false });
const session = (token: string, u = user()) => ({
  status: 201,
  body: { token, expiresAt: new Date(Date.now() + 8 * 3600_000).toISOString(), user: u, registration: registration() },
});

async function signInFrom(tabId: number) {
  sendAs(contentSender(tabId));
  return sendMessage("signin.submitted", { username: "jane@example.test", password: "correct-horse-battery" });
}

/** Tab 4 opens the registration page; returns its tab id. */
async function openRegistrationFrom(tabId: number): Promise<number> {
  const create = vi.spyOn(fakeBrowser.tabs, "create");
  sendAs(contentSender(tabId));
  await sendMessage("prompt.open");
  return (await create.mock.results.at(-1)!.value).id;
}

function spyOnTabMessages() {
  const sent: [number, unknown][] = [];
  fakeBrowser.tabs.sendMessage = (async (tab: number, message: unknown) => void sent.push([tab, message])) as typeof fakeBrowser.tabs.sendMessage;
  return sent;
}

describe("background: prompts in other tabs once registration is done", () => {
  it("tells the other sign-in tabs of the same user to close their prompt, once the page loads a complete registration", async () => {
    const worker = fakeWorker().on("POST /v1/sessions", session("tok_a")).on("GET /v1/me", meReply());
    await startFullBackground();
    await signInFrom(3);
    await signInFrom(4);
    const page = await openRegistrationFrom(4);
    const sent = spyOnTabMessages();

    sendAs(pageSender(page));
    expect((await sendMessage("registration.load")).ok).toBe(true);
    expect(sent).toEqual([]); // not registered yet: the prompts still ask for something real

    worker.on("GET /v1/me", meReply(done));
    await sendMessage("registration.load");
    // Tab 3 still shows its prompt; tab 4's became the page; the page itself has no prompt.
    expect(sent).toEqual([[3, PROMPT_RESOLVED]]);
  });

  it("leaves another user's prompt alone", async () => {
    const sam = { ...session("tok_sam"), body: { ...session("tok_sam").body, user: { ...user(), id: "usr_sam", username: "sam@example.test" } } };
    const worker = fakeWorker().on("POST /v1/sessions", sam).on("GET /v1/me", meReply());
    await startFullBackground();
    await signInFrom(5);
    worker.on("POST /v1/sessions", session("tok_jane"));
    await signInFrom(3);
    await signInFrom(4);
    const page = await openRegistrationFrom(4);
    worker.on("GET /v1/me", meReply(done));
    const sent = spyOnTabMessages();
    sendAs(pageSender(page));
    await sendMessage("registration.load");
    expect(sent.map(([tab]) => tab)).toEqual([3]);
  });

  it("does the same after the user confirms info that was due", async () => {
    const due = registration({ methods: [EMAIL], complete: true, required: false, reconfirmDue: true });
    const worker = fakeWorker()
      .on("POST /v1/sessions", { ...session("tok"), body: { ...session("tok").body, registration: due } })
      .on("GET /v1/me", meReply(due))
      .on("POST /v1/me/registration/confirm", { status: 200, body: { registration: done } });
    await startFullBackground();
    await signInFrom(3);
    await signInFrom(4);
    const page = await openRegistrationFrom(4);
    const sent = spyOnTabMessages();
    sendAs(pageSender(page));
    await sendMessage("registration.load");
    expect(sent).toEqual([]);
    expect((await sendMessage("registration.confirm")).ok).toBe(true);
    expect(sent).toEqual([[3, PROMPT_RESOLVED]]);
    expect(worker.calls.some((c) => c.route === "POST /v1/me/registration/confirm")).toBe(true);
  });
});

describe("sign-in content script: a prompt resolved elsewhere", () => {
  let running: SignInPrompts | null = null;
  afterEach(() => {
    running?.stop();
    running = null;
    document.body.innerHTML = "";
  });

  async function promptOnScreen() {
    document.body.innerHTML = `<form id="login"><label for="u">Email</label><input id="u" name="username" autocomplete="username">
      <label for="p">Password</label><input id="p" name="password" type="password" autocomplete="current-password"><button type="submit">Sign in</button></form>`;
    document.getElementById("login")!.addEventListener("submit", (e) => e.preventDefault());
    const worker = fakeWorker().on("POST /v1/sessions", session("tok_old")).on("DELETE /v1/sessions/current", { status: 204 });
    await startFullBackground();
    sendAs(contentSender(3));
    running = startSignInPrompts(document);
    (document.getElementById("u") as HTMLInputElement).value = "jane@example.test";
    const field = document.getElementById("p") as HTMLInputElement;
    field.value = "correct-horse-battery";
    const input = new Event("input", { bubbles: true, composed: true });
    Object.defineProperty(input, "isTrusted", { value: true });
    field.dispatchEvent(input);
    document.getElementById("login")!.dispatchEvent(new Event("submit", { bubbles: true, cancelable: true }));
    await waitFor(() => expect(document.querySelector(PROMPT_TAG)).not.toBeNull());
    return worker;
  }

  it("closes the prompt when the background says so, and the tab's session is let go", async () => {
    const worker = await promptOnScreen();
    await fakeBrowser.runtime.onMessage.trigger(PROMPT_RESOLVED, { id: fakeBrowser.runtime.id });
    expect(document.querySelector(PROMPT_TAG)).toBeNull();
    expect(running?.current()).toBeNull();
    await waitFor(() => expect(worker.calls.filter((c) => c.route === "DELETE /v1/sessions/current").map((c) => c.headers.Authorization)).toEqual(["Bearer tok_old"]));
  });

  it("ignores the same words from anything but the background (a tab's script)", async () => {
    await promptOnScreen();
    // A tab's own script: the sender names its tab (only the fields that matter here).
    await fakeBrowser.runtime.onMessage.trigger(PROMPT_RESOLVED, { id: fakeBrowser.runtime.id, tab: { id: 9 } } as Browser.runtime.MessageSender);
    await fakeBrowser.runtime.onMessage.trigger(PROMPT_RESOLVED, { id: "another-extension" });
    expect(document.querySelector(PROMPT_TAG)).not.toBeNull();
  });
});
