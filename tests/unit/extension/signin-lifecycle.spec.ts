import { afterEach, describe, expect, it, vi } from "vitest";
import { fakeBrowser } from "wxt/testing/fake-browser";
import { sendMessage } from "../../../extension/messaging.js";
import { signInStore } from "../../../extension/storage.js";
import { CONFIG, fakeWorker, type FakeWorker } from "./support/fake-worker.js";
import { contentSender, meReply, pageSender, registration, sendAs, startFullBackground, user } from "./support/signin.js";

/*
 * Issue 15 at sign-in: a temporary or expired password gives a session that can only change it, and
 * the prompt offers the change-password page with that session; a password about to expire gets a
 * notice at most once a day, never ahead of registration the policy requires.
 */

const PASSWORD = "correct-horse-battery-staple";
const DAY = 86_400_000;
const done = registration({ complete: true, required: false });
const inDays = (days: number) => new Date(Date.now() + days * DAY).toISOString();

function session(token: string, opts: { reg?: object; user?: object; passwordExpiresAt?: string | null } = {}) {
  const { reg = done, passwordExpiresAt = null } = opts;
  const u = opts.user ?? user({ passwordExpiresAt });
  return { status: 201, body: { token, expiresAt: new Date(Date.now() + 8 * 3600_000).toISOString(), user: u, registration: reg } };
}

/** The policy's notice window, as GET /v1/config says it. */
const windowOf = (notifyDaysBefore: number) => ({ status: 200, body: { ...CONFIG, passwordPolicy: { ...CONFIG.passwordPolicy, expiry: { days: 90, notifyDaysBefore } } } });

async function submitFrom(tabId = 3) {
  sendAs(contentSender(tabId));
  return sendMessage("signin.submitted", { username: "jane@example.test", password: PASSWORD });
}

const authOf = (worker: FakeWorker, route: string) => worker.calls.filter((c) => c.route === route).map((c) => c.headers.Authorization);

afterEach(() => vi.useRealTimers());

describe("background: a password that must be changed", () => {
  it.each([
    ["a temporary password", user({ mustChangePassword: true }), "temporary"],
    ["an expired password", user({ passwordExpired: true, passwordExpiresAt: inDays(-1) }), "expired"],
  ])("after %s the prompt offers the change, and the page it opens changes it with that sign-in's session", async (_, u, reason) => {
    const worker = fakeWorker()
      .on("POST /v1/sessions", session("tok_must", { reg: registration(), user: u }))
      .on("GET /v1/me", meReply(registration(), u))
      .on("POST /v1/me/password", { status: 204 })
      .on("DELETE /v1/sessions/current", { status: 204 });
    await startFullBackground();
    // The must-change comes first, even with registration required.
    expect(await submitFrom()).toEqual({ ok: true, value: { kind: "change", reason, orgName: "Example Corp" } });

    const create = vi.spyOn(fakeBrowser.tabs, "create");
    sendAs(contentSender(3));
    expect(await sendMessage("prompt.change")).toEqual({ ok: true, value: null });
    expect(create.mock.calls[0]![0].url).toBe(fakeBrowser.runtime.getURL("/change-password.html"));
    const tab = await create.mock.results[0]!.value;

    sendAs(pageSender(tab.id));
    const view = await sendMessage("password.load");
    expect(view.ok && view.value.account).toEqual({ username: "jane@example.test", displayName: "Jane Doe", reason });
    expect(await sendMessage("password.change", { currentPassword: PASSWORD, newPassword: "a brand new passphrase" })).toEqual({ ok: true, value: null });
    const change = worker.calls.find((c) => c.route === "POST /v1/me/password")!;
    expect(change.body).toEqual({ currentPassword: PASSWORD, newPassword: "a brand new passphrase" });
    expect(change.headers.Authorization).toBe("Bearer tok_must");
    // Done with it: the session is let go and revoked.
    await vi.waitFor(() => expect(authOf(worker, "DELETE /v1/sessions/current")).toEqual(["Bearer tok_must"]));
    expect((await signInStore.get()).sessions).toEqual({});
  });

  it("without a sign-in (opened from the popup) signs in for the change alone, and signs out", async () => {
    const worker = fakeWorker()
      .on("POST /v1/sessions", session("tok_popup"))
      .on("POST /v1/me/password", { status: 204 })
      .on("DELETE /v1/sessions/current", { status: 204 });
    await startFullBackground();
    sendAs(pageSender(9));
    const view = await sendMessage("password.load");
    expect(view.ok && view.value.account).toBeNull();
    const res = await sendMessage("password.change", { username: "jane@example.test", currentPassword: PASSWORD, newPassword: "a brand new passphrase" });
    expect(res).toEqual({ ok: true, value: null });
    expect(worker.calls.find((c) => c.route === "POST /v1/sessions")!.body).toEqual({ username: "jane@example.test", password: PASSWORD });
    expect(authOf(worker, "POST /v1/me/password")).toEqual(["Bearer tok_popup"]);
    await vi.waitFor(() => expect(authOf(worker, "DELETE /v1/sessions/current")).toEqual(["Bearer tok_popup"]));
  });
});

describe("background: the expiry notice", () => {
  it("says how many days are left, once a day per user, with the session kept for 'Change your password now'", async () => {
    vi.useFakeTimers({ toFake: ["Date"] });
    const worker = fakeWorker().on("POST /v1/sessions", session("tok_a", { passwordExpiresAt: inDays(4.5) })).on("DELETE /v1/sessions/current", { status: 204 });
    await startFullBackground();
    expect(await submitFrom()).toEqual({ ok: true, value: { kind: "expiring", daysLeft: 5, orgName: "Example Corp" } });
    expect(Object.values((await signInStore.get()).sessions).map((s) => s.token)).toEqual(["tok_a"]);

    // Signing in again the same day: no notice, the session ends at once.
    vi.setSystemTime(Date.now() + 20 * 3600_000);
    expect(await submitFrom(4)).toEqual({ ok: true, value: null });
    // A day later it comes back.
    vi.setSystemTime(Date.now() + 5 * 3600_000);
    expect(await submitFrom(5)).toMatchObject({ ok: true, value: { kind: "expiring" } });
    // Nothing stored names the user.
    expect(JSON.stringify(await fakeBrowser.storage.local.get(null))).not.toMatch(/jane|usr_1/);
    expect(worker.calls.filter((c) => c.route === "POST /v1/sessions")).toHaveLength(3);
  });

  it("waits behind registration the policy requires, and comes before a re-confirmation", async () => {
    fakeWorker()
      .on("POST /v1/sessions", session("t1", { reg: registration(), passwordExpiresAt: inDays(3) }), session("t2", { reg: registration({ complete: true, required: false, reconfirmDue: true }), passwordExpiresAt: inDays(3) }))
      .on("DELETE /v1/sessions/current", { status: 204 });
    await startFullBackground();
    expect(await submitFrom(3)).toMatchObject({ ok: true, value: { kind: "required" } });
    expect(await submitFrom(4)).toMatchObject({ ok: true, value: { kind: "expiring", daysLeft: 3 } });
  });

  it.each([
    ["inside the policy's window", 14, 10, 10],
    ["outside it", 14, 20, null],
    ["inside a wider window", 30, 20, 20],
    ["a password that never expires", 30, null, null],
    ["a password already past its date (the worker then says passwordExpired)", 14, -1, null],
  ])("%s", async (_, notifyDaysBefore, expiresInDays, days) => {
    fakeWorker()
      .on("GET /v1/config", windowOf(notifyDaysBefore))
      .on("POST /v1/sessions", session("t", { passwordExpiresAt: expiresInDays === null ? null : inDays(expiresInDays) }))
      .on("DELETE /v1/sessions/current", { status: 204 });
    await startFullBackground();
    const res = await submitFrom();
    expect(res.ok && res.value).toEqual(days === null ? null : { kind: "expiring", daysLeft: days, orgName: "Example Corp" });
  });
});
