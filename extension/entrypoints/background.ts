import { browser } from "wxt/browser";
import { defineBackground } from "wxt/utils/define-background";
import { accessHandlers } from "../background/access-handlers.js";
import { passwordHandlers } from "../background/password-handlers.js";
import { promptHandlers } from "../background/prompt-handlers.js";
import { registrationHandlers } from "../background/registration-handlers.js";
import { resetHandlers } from "../background/reset-handlers.js";
import { settingsHandlers } from "../background/settings-handlers.js";
import { scheduleSync } from "../background/signin-pages.js";
import { forgetTab } from "../background/signin-sessions.js";
import { isOwnContentScript, onMessages } from "../messaging.js";
import { workerUrlItem } from "../storage.js";

// The only context that calls the worker: pages ask it by message, so tokens never leave it.
export default defineBackground(() => {
  onMessages({ ...settingsHandlers, ...resetHandlers, ...accessHandlers, ...registrationHandlers, ...passwordHandlers });
  // The sign-in content script gets its own, narrower set: it can never drive a reset or registration.
  onMessages(promptHandlers, isOwnContentScript);

  // Keep the runtime-registered content script in step with the policy's pages and the user's grants.
  // A failed sync leaves the previous registration in place; the next trigger tries again.
  const sync = () => scheduleSync().catch(() => null);
  browser.runtime.onInstalled.addListener(({ reason }) => {
    void sync().then((access) => {
      // A fresh install with sign-in pages not yet allowed: the options page has the button for it.
      if (reason === "install" && access && access.granted.length < access.patterns.length) void browser.runtime.openOptionsPage();
    });
  });
  browser.runtime.onStartup.addListener(() => void sync());
  browser.permissions.onAdded.addListener(() => void sync());
  browser.permissions.onRemoved.addListener(() => void sync());
  workerUrlItem.watch(() => void sync());
  browser.storage.onChanged.addListener((_, area) => area === "managed" && void sync());

  // A closed tab lets go of its sign-in session (revoked at the worker when no other tab uses it).
  browser.tabs.onRemoved.addListener((tabId) => void forgetTab(tabId));
});
