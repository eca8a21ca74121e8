import { browser } from "wxt/browser";
import { sendMessage } from "../messaging.js";
import type { ChangePasswordClient } from "./change-client.js";

/** The extension's change-password tab: the background holds any session and talks to the worker. */
export const backgroundChangeClient: ChangePasswordClient = {
  load: () => sendMessage("password.load"),
  change: (request) => sendMessage("password.change", request),
  async close() {
    const tab = await browser.tabs.getCurrent().catch(() => undefined);
    if (tab?.id !== undefined) await browser.tabs.remove(tab.id);
    else window.close();
  },
};
