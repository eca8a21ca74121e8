import { describe, expect, it } from "vitest";
import { fakeBrowser } from "wxt/testing/fake-browser";
import { isExtensionPage, onMessages, sendMessage } from "../../../extension/messaging.js";

describe("messaging", () => {
  it("answers the extension's own pages", async () => {
    onMessages({ "reset.cancel": async () => ({ ok: true, value: null }) });
    expect(await sendMessage("reset.cancel")).toEqual({ ok: true, value: null });
  });

  it("refuses a content script in a web page: only extension pages may drive a reset", async () => {
    onMessages({ "reset.cancel": async () => ({ ok: true, value: null }) });
    const [reply] = await fakeBrowser.runtime.onMessage.trigger({ channel: "opensspr", name: "reset.cancel" }, { id: fakeBrowser.runtime.id, url: "https://evil.example/" });
    expect(reply).toMatchObject({ ok: false, error: { code: "extension_error" } });
  });

  it("ignores messages that are not its own, so other listeners can answer them", async () => {
    onMessages({ "reset.cancel": async () => ({ ok: true, value: null }) });
    const [reply] = await fakeBrowser.runtime.onMessage.trigger({ hello: 1 }, { id: fakeBrowser.runtime.id });
    expect(reply).toBeUndefined();
  });

  it("tells pages from other senders", () => {
    expect(isExtensionPage({ id: fakeBrowser.runtime.id, url: fakeBrowser.runtime.getURL("/options.html") })).toBe(true);
    expect(isExtensionPage({ id: "another-extension", url: "chrome-extension://another-extension/popup.html" })).toBe(false);
  });

  it("turns a missing background into an error result instead of a throw", async () => {
    fakeBrowser.runtime.sendMessage = (async () => {
      throw new Error("Could not establish connection. Receiving end does not exist.");
    }) as typeof fakeBrowser.runtime.sendMessage;
    expect(await sendMessage("settings.get")).toMatchObject({ ok: false, error: { code: "extension_error" } });
  });
});
