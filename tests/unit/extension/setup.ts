import { cleanup } from "@testing-library/preact";
import { afterEach, beforeEach, vi } from "vitest";
import { fakeBrowser } from "wxt/testing/fake-browser";
import messages from "../../../extension/public/_locales/en/messages.json";

type Entry = { message: string; placeholders?: Record<string, { content: string }> };
const catalog = messages as Record<string, Entry>;

/** chrome.i18n.getMessage's substitution rules ($name$ → placeholder content → $1…$9), over the shipped English file. */
export function getMessage(key: string, substitutions?: string | string[]): string {
  const entry = catalog[key];
  if (!entry) return "";
  const subs = typeof substitutions === "string" ? [substitutions] : (substitutions ?? []);
  const fill = (text: string) => text.replace(/\$(\d)/g, (_, n: string) => subs[Number(n) - 1] ?? "");
  return entry.message.replace(/\$([A-Za-z0-9_@]+)\$/g, (_, name: string) => fill(entry.placeholders?.[name.toLowerCase()]?.content ?? ""));
}

/** Messages from the popup carry the popup's sender, as Chrome sets it; the fake browser sends `{}`. */
export const POPUP_SENDER = () => ({ id: fakeBrowser.runtime.id, url: fakeBrowser.runtime.getURL("/popup.html") });

beforeEach(() => {
  fakeBrowser.reset();
  fakeBrowser.i18n.getMessage = getMessage as typeof fakeBrowser.i18n.getMessage;
  fakeBrowser.runtime.sendMessage = (async (message: unknown) =>
    (await fakeBrowser.runtime.onMessage.trigger(message, POPUP_SENDER())).find((r) => r !== undefined)) as typeof fakeBrowser.runtime.sendMessage;
  fakeBrowser.runtime.openOptionsPage = vi.fn(async () => {}) as typeof fakeBrowser.runtime.openOptionsPage;
  // The store build's manifest: no host permission required (support/permissions.ts fakes a build with sign-in pages built in).
  fakeBrowser.runtime.getManifest = (() => ({ manifest_version: 3, name: "OpenSSPR", version: "0.1.0", permissions: ["storage", "scripting"] })) as typeof fakeBrowser.runtime.getManifest;
});

afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
  vi.useRealTimers();
});
