import { describe, expect, it, vi } from "vitest";
import { fakeBrowser } from "wxt/testing/fake-browser";
import { SIGNIN_SCRIPT_ID, syncSignInScripts, usablePatterns } from "../../../extension/background/signin-pages.js";
import { signInPagesItem, workerUrlItem } from "../../../extension/storage.js";
import { CONFIG, fakeWorker, networkDown, WORKER } from "./support/fake-worker.js";

type Script = { id: string; matches?: string[]; js?: string[]; persistAcrossSessions?: boolean; allFrames?: boolean };

/** chrome.scripting and chrome.permissions as far as the sync uses them (the fake browser has neither). */
function fakeChrome(granted: string[]) {
  const registered = new Map<string, Script>();
  const scripting = {
    getRegisteredContentScripts: vi.fn(async ({ ids }: { ids: string[] }) => ids.flatMap((id) => (registered.has(id) ? [registered.get(id)!] : []))),
    registerContentScripts: vi.fn(async (scripts: Script[]) => scripts.forEach((s) => registered.set(s.id, s))),
    updateContentScripts: vi.fn(async (scripts: Script[]) => scripts.forEach((s) => registered.set(s.id, { ...registered.get(s.id)!, ...s }))),
    unregisterContentScripts: vi.fn(async ({ ids }: { ids: string[] }) => ids.forEach((id) => registered.delete(id))),
  };
  const permissions = { contains: vi.fn(async ({ origins }: { origins: string[] }) => origins.every((o) => granted.includes(o))) };
  Object.assign(fakeBrowser, { scripting, permissions });
  return { registered, scripting, granted };
}

const policyPages = (signInPages: string[]) => fakeWorker().on("GET /v1/config", { status: 200, body: { ...CONFIG, signInPages } });

describe("sign-in content script registration", () => {
  it("registers nothing while no sign-in page is granted", async () => {
    const { registered } = fakeChrome([]);
    policyPages(["https://login.example.test/*"]);
    await workerUrlItem.setValue(WORKER);
    expect(await syncSignInScripts()).toEqual({ patterns: ["https://login.example.test/*"], granted: [], refused: [], server: "sspr.example.test" });
    expect(registered.size).toBe(0);
  });

  it("registers the script for the granted pages only, in the top frame, kept across restarts", async () => {
    const { registered } = fakeChrome(["https://login.example.test/*"]);
    policyPages(["https://login.example.test/*", "https://sso.example.test/login*"]);
    await workerUrlItem.setValue(WORKER);
    await syncSignInScripts();
    expect(registered.get(SIGNIN_SCRIPT_ID)).toEqual({
      id: SIGNIN_SCRIPT_ID,
      matches: ["https://login.example.test/*"],
      js: ["content-scripts/signin.js"],
      runAt: "document_idle",
      allFrames: false,
      persistAcrossSessions: true,
    });
  });

  it("follows the policy: updates the pages, and unregisters when none is left", async () => {
    const chrome = fakeChrome(["https://login.example.test/*", "https://new.example.test/*"]);
    await workerUrlItem.setValue(WORKER);
    policyPages(["https://login.example.test/*"]);
    await syncSignInScripts();
    policyPages(["https://new.example.test/*"]);
    await syncSignInScripts();
    expect(chrome.registered.get(SIGNIN_SCRIPT_ID)?.matches).toEqual(["https://new.example.test/*"]);
    expect(chrome.scripting.updateContentScripts).toHaveBeenCalledOnce();
    policyPages([]);
    await syncSignInScripts();
    expect(chrome.registered.size).toBe(0);
  });

  it("keeps the last known pages while the worker is unreachable", async () => {
    const { registered } = fakeChrome(["https://login.example.test/*"]);
    await workerUrlItem.setValue(WORKER);
    await signInPagesItem.setValue(["https://login.example.test/*"]);
    networkDown();
    await syncSignInScripts();
    expect(registered.get(SIGNIN_SCRIPT_ID)?.matches).toEqual(["https://login.example.test/*"]);
  });

  it("drops patterns Chrome would refuse, so one typo can't stop the others, and any that match every website", () => {
    expect(usablePatterns(["https://login.example.test/*", "login.example.test", "https://login.example.test/*", "<all_urls>", "*://*/*"])).toEqual([
      "https://login.example.test/*",
    ]);
  });
});
