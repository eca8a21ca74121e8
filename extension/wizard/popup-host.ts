import { browser } from "wxt/browser";
import type { WizardHost } from "./resets-client.js";

const closePopup = () => window.close();

/** The toolbar popup's buttons outside the reset: settings, closing, and the change-password tab. */
export const popupHost: WizardHost = {
  close: closePopup,
  openSettings: () => void browser.runtime.openOptionsPage(),
  // In a tab of its own: the popup closes as soon as focus leaves it.
  openChangePassword: () => void browser.tabs.create({ url: browser.runtime.getURL("/change-password.html") }).then(closePopup),
};
