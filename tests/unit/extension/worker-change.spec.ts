import { describe, expect, it, vi } from "vitest";
import { fakeBrowser } from "wxt/testing/fake-browser";
import { resolveSettings, saveWorkerUrl } from "../../../extension/background/settings.js";
import { sendMessage } from "../../../extension/messaging.js";
import { signInPagesItem, workerUrlItem } from "../../../extension/storage.js";
import { fakeWorker } from "./support/fake-worker.js";
import { fakeHostPermissions } from "./support/permissions.js";
import { contentSender, sendAs, startFullBackground } from "./support/signin.js";

const PAGES = ["https://login.example.test/*"];

describe("changing the worker address", () => {
  it("drops every sign-in page allowed for the old worker, an earlier policy's too, so the new one gets no password without a new grant", async () => {
    const { granted } = fakeHostPermissions({ granted: [...PAGES, "https://old-sso.example.test/*", "https://sspr.example.test/*"] });
    fakeWorker();
    await workerUrlItem.setValue("https://old-sspr.example.test");
    await signInPagesItem.setValue(PAGES);
    const saved = await saveWorkerUrl("https://sspr.example.test");
    expect(saved.ok).toBe(true);
    // The new worker's own origin stays (Firefox asked for it just before the save).
    expect([...granted]).toEqual(["https://sspr.example.test/*"]);
    expect(await signInPagesItem.getValue()).toEqual([]);
  });

  it("keeps them when the same address is saved again", async () => {
    const { permissions } = fakeHostPermissions({ granted: PAGES });
    fakeWorker();
    await workerUrlItem.setValue("https://sspr.example.test");
    await signInPagesItem.setValue(PAGES);
    expect((await saveWorkerUrl("https://sspr.example.test/")).ok).toBe(true);
    expect(permissions.remove).not.toHaveBeenCalled();
    expect(await signInPagesItem.getValue()).toEqual(PAGES);
  });

  it.each([3, 2] as const)("is refused in a build with sign-in pages built in (manifest v%i): they stay granted, and belong to the built-in worker", async (manifestVersion) => {
    fakeHostPermissions({ required: PAGES, manifestVersion });
    fakeWorker();
    await workerUrlItem.setValue("https://sspr.example.test");
    const saved = await saveWorkerUrl("https://elsewhere.example.test");
    expect(saved).toMatchObject({ ok: false, error: { code: "forbidden" } });
    expect(await workerUrlItem.getValue()).toBe("https://sspr.example.test");
  });
});

describe("a build with sign-in pages built in", () => {
  it("takes its built-in worker address, and no other, even before any is saved", async () => {
    vi.stubEnv("WXT_OPENSSPR_WORKER_URL", "https://sspr.example.test");
    try {
      fakeHostPermissions({ required: PAGES });
      fakeWorker();
      expect(await saveWorkerUrl("https://elsewhere.example.test")).toMatchObject({ ok: false, error: { code: "forbidden" } });
      expect((await saveWorkerUrl("https://sspr.example.test")).ok).toBe(true);
    } finally {
      vi.unstubAllEnvs();
    }
  });
});

describe("access withdrawn while a sign-in tab is open", () => {
  it("its content script, still running, sends no password", async () => {
    const worker = fakeWorker().on("POST /v1/sessions", { status: 201, body: {} });
    await startFullBackground();
    const { granted } = fakeHostPermissions({ granted: [] });
    expect(granted.size).toBe(0);
    // The policy still lists the page (the new worker's lists it too), but access was withdrawn.
    sendAs(contentSender(3));
    expect(await sendMessage("signin.submitted", { username: "jane@example.test", password: "typed-secret" })).toEqual({ ok: true, value: null });
    expect(worker.calls.filter((c) => c.route === "POST /v1/sessions")).toEqual([]);
  });
});

describe("a managed worker address", () => {
  it("locks the setting even when it is not usable, rather than letting the user choose another", async () => {
    fakeBrowser.storage.managed.get = (async () => ({ workerUrl: "http://sspr.corp" })) as typeof fakeBrowser.storage.managed.get;
    fakeHostPermissions();
    expect(await resolveSettings()).toMatchObject({ workerUrl: null, source: "managed" });
    expect(await saveWorkerUrl("https://attacker.example.test")).toMatchObject({ ok: false, error: { code: "forbidden" } });
  });
});
