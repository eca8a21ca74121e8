import { describe, expect, it, vi } from "vitest";
import { fakeBrowser } from "wxt/testing/fake-browser";
import { forgetTab, PENDING_MS } from "../../../extension/background/signin-sessions.js";
import { sendMessage } from "../../../extension/messaging.js";
import { signInStore } from "../../../extension/storage.js";
import { apiError, fakeWorker, type FakeWorker } from "./support/fake-worker.js";
import { contentSender, meReply, method, pageSender, registration, sendAs, startFullBackground, user } from "./support/signin.js";

const PASSWORD = "correct-horse-battery-staple";
const session = (token: string, reg = registration(), u = user()) => ({
  status: 201,
  body: { token, expiresAt: new Date(Date.now() + 8 * 3600_000).toISOString(), user: u, registration: reg },
});

async function submitFrom(tabId: number, worker: FakeWorker, username = "jane@example.test") {
  sendAs(contentSender(tabId));
  return sendMessage("signin.submitted", { username, password: PASSWORD });
}

/** Everything the extension stored anywhere, as one string, to look for secrets in. */
async function everythingStored(): Promise<string> {
  const [local, sessionArea] = await Promise.all([fakeBrowser.storage.local.get(null), fakeBrowser.storage.session.get(null)]);
  return JSON.stringify({ local, session: sessionArea });
}

const authOf = (worker: FakeWorker, route: string) => worker.calls.filter((c) => c.route === route).map((c) => c.headers.Authorization);

describe("background: sign-in on a sign-in page", () => {
  it("exchanges the typed credentials once for a session, and asks for the prompt when registration is required", async () => {
    const worker = fakeWorker().on("POST /v1/sessions", session("tok_jane"));
    await startFullBackground();
    const res = await submitFrom(3, worker);
    expect(res).toEqual({ ok: true, value: { kind: "required", skipsLeft: 3, orgName: "Example Corp" } });
    expect(worker.calls.filter((c) => c.route === "POST /v1/sessions")).toEqual([
      expect.objectContaining({ body: { username: "jane@example.test", password: PASSWORD } }),
    ]);
    // Only the token is kept, in session storage; the password nowhere.
    const stored = await everythingStored();
    expect(stored).not.toContain(PASSWORD);
    expect(JSON.stringify(await fakeBrowser.storage.local.get(null))).not.toContain("tok_jane");
    expect(JSON.stringify(await fakeBrowser.storage.session.get(null))).toContain("tok_jane");
  });

  it.each([
    ["a page the policy no longer lists", "https://intranet.example.test/login"],
    ["a look-alike host", "https://login.example.test.evil.test/signin"],
  ])("sends no password from %s (a content script injected earlier keeps running)", async (_, url) => {
    const worker = fakeWorker().on("POST /v1/sessions", session("tok_jane"));
    await startFullBackground();
    sendAs({ ...contentSender(3), url });
    expect(await sendMessage("signin.submitted", { username: "jane@example.test", password: PASSWORD })).toEqual({ ok: true, value: null });
    expect(worker.calls).toEqual([]);
  });

  it.each([
    ["one of two", 2, [method("m1", "email", "j•••@e•••.com")], 1],
    ["one of three", 3, [method("m1", "email", "j•••@e•••.com"), method("m2", "email", "k•••@e•••.com")], 2],
    ["only security questions, enough in number", 1, [method("q", "security_questions", "3 questions")], 1],
  ])("asks a user who has some methods but not enough (%s) for the number still missing", async (_, methodsRequired, methods, moreNeeded) => {
    const pending = method("p", "sms", "•••••••1234", "pending");
    const worker = fakeWorker().on("POST /v1/sessions", session("tok", registration({ methodsRequired, methods: [...methods, pending] })));
    await startFullBackground();
    expect(await submitFrom(3, worker)).toEqual({ ok: true, value: { kind: "required", skipsLeft: 3, orgName: "Example Corp", moreNeeded } });
  });

  it("asks a user with only a pending method to set recovery up, as one with none", async () => {
    const worker = fakeWorker().on("POST /v1/sessions", session("tok", registration({ methods: [method("p", "email", "j•••@e•••.com", "pending")] })));
    await startFullBackground();
    const res = await submitFrom(3, worker);
    expect(res.ok && res.value).toEqual({ kind: "required", skipsLeft: 3, orgName: "Example Corp" });
  });

  it("asks to re-confirm when the info is due", async () => {
    const worker = fakeWorker().on("POST /v1/sessions", session("tok", registration({ complete: true, required: false, reconfirmDue: true, skipsLeft: 2 })));
    await startFullBackground();
    expect(await submitFrom(3, worker)).toEqual({ ok: true, value: { kind: "reconfirm", skipsLeft: 2, orgName: "Example Corp" } });
  });

  it.each([
    ["a wrong password", apiError(401, "invalid_credentials")],
    ["a locked account", apiError(429, "rate_limited", { retryAfter: 60 })],
  ])("shows nothing after %s, and keeps nothing", async (_, reply) => {
    const worker = fakeWorker().on("POST /v1/sessions", reply);
    await startFullBackground();
    expect(await submitFrom(3, worker)).toEqual({ ok: true, value: null });
    expect(await everythingStored()).not.toContain(PASSWORD);
    expect((await signInStore.get()).sessions).toEqual({});
  });

  it.each([["a registered user", session("tok_done", registration({ complete: true, required: false }))]])("ends the session at once for %s: nothing to ask", async (_, reply) => {
    const worker = fakeWorker().on("POST /v1/sessions", reply).on("DELETE /v1/sessions/current", { status: 204 });
    await startFullBackground();
    expect(await submitFrom(3, worker)).toEqual({ ok: true, value: null });
    await vi.waitFor(() => expect(authOf(worker, "DELETE /v1/sessions/current")).toEqual(["Bearer tok_done"]));
    expect((await signInStore.get()).sessions).toEqual({});
  });

  it("acts for the user who signed in in that tab, not in another", async () => {
    const worker = fakeWorker()
      .on("POST /v1/sessions", session("tok_jane"), session("tok_sam"))
      .on("POST /v1/me/registration/skip", { status: 200, body: { registration: registration({ skipsLeft: 2 }) } })
      .on("DELETE /v1/sessions/current", { status: 204 });
    await startFullBackground();
    await submitFrom(3, worker);
    await submitFrom(4, worker, "sam@example.test");
    sendAs(contentSender(3));
    expect(await sendMessage("prompt.skip")).toEqual({ ok: true, value: { skipsLeft: 2 } });
    expect(authOf(worker, "POST /v1/me/registration/skip")).toEqual(["Bearer tok_jane"]);
    // Jane's prompt is answered: her session is revoked; Sam's stays.
    await vi.waitFor(() => expect(authOf(worker, "DELETE /v1/sessions/current")).toEqual(["Bearer tok_jane"]));
    expect(Object.values((await signInStore.get()).sessions).map((s) => s.token)).toEqual(["tok_sam"]);
  });

  it("opens the registration page in a new tab that gets the session through the background, not its address", async () => {
    const worker = fakeWorker().on("POST /v1/sessions", session("tok_jane")).on("GET /v1/me", meReply());
    await startFullBackground();
    await submitFrom(3, worker);
    const create = vi.spyOn(fakeBrowser.tabs, "create");
    sendAs(contentSender(3));
    expect(await sendMessage("prompt.open")).toEqual({ ok: true, value: null });
    const url = create.mock.calls[0]![0].url!;
    expect(url).toBe(fakeBrowser.runtime.getURL("/registration.html"));
    const tab = await create.mock.results[0]!.value;
    sendAs(pageSender(tab.id));
    const view = await sendMessage("registration.load");
    expect(view.ok && view.value.user.displayName).toBe("Jane Doe");
    expect(authOf(worker, "GET /v1/me")).toEqual(["Bearer tok_jane"]);
  });

  it("revokes a session once no tab uses it any more", async () => {
    const worker = fakeWorker().on("POST /v1/sessions", session("tok_jane")).on("DELETE /v1/sessions/current", { status: 204 });
    await startFullBackground();
    await submitFrom(3, worker);
    await forgetTab(3);
    await vi.waitFor(() => expect(authOf(worker, "DELETE /v1/sessions/current")).toEqual(["Bearer tok_jane"]));
    expect(await signInStore.get()).toEqual({ sessions: {}, tabs: {}, pending: {} });
  });

  it("keeps the prompt for the tab's next page for a minute, for forms that navigate on submit", async () => {
    const worker = fakeWorker().on("POST /v1/sessions", session("tok_jane"));
    await startFullBackground();
    await submitFrom(3, worker);
    sendAs(contentSender(4));
    expect(await sendMessage("prompt.pending")).toEqual({ ok: true, value: null });
    sendAs(contentSender(3));
    expect(await sendMessage("prompt.pending")).toEqual({ ok: true, value: { kind: "required", skipsLeft: 3, orgName: "Example Corp" } });
    // Handed out once.
    expect(await sendMessage("prompt.pending")).toEqual({ ok: true, value: null });

    await submitFrom(3, worker);
    vi.useFakeTimers({ now: Date.now() + PENDING_MS + 1000, toFake: ["Date"] });
    sendAs(contentSender(3));
    expect(await sendMessage("prompt.pending")).toEqual({ ok: true, value: null });
  });

  it("answers the sign-in content script only: not extension pages, not other senders; and the script can't drive registration", async () => {
    const worker = fakeWorker().on("POST /v1/sessions", session("tok"));
    await startFullBackground();
    sendAs(pageSender());
    expect(await sendMessage("signin.submitted", { username: "jane@example.test", password: PASSWORD })).toMatchObject({ ok: false, error: { code: "extension_error" } });
    sendAs({ id: "another-extension", tab: { id: 3 }, url: "https://login.example.test/" });
    expect(await sendMessage("signin.submitted", { username: "jane@example.test", password: PASSWORD })).toMatchObject({ ok: false });
    expect(worker.calls.filter((c) => c.route === "POST /v1/sessions")).toHaveLength(0);

    await submitFrom(3, worker);
    sendAs(contentSender(3));
    expect(await sendMessage("registration.load")).toMatchObject({ ok: false, error: { code: "extension_error" } });
    expect(await sendMessage("reset.start", { username: "jane@example.test", purpose: "reset" })).toMatchObject({ ok: false, error: { code: "extension_error" } });
  });

  it("treats a registration page without a live session as signed out", async () => {
    fakeWorker();
    await startFullBackground();
    sendAs(pageSender());
    expect(await sendMessage("registration.load")).toMatchObject({ ok: false, error: { code: "unauthorized" } });
  });
});
