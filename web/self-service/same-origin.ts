import type { ResetSession } from "../../extension/storage.js";
import type { ResetStore } from "../../extension/reset-flow.js";

/** The worker that serves these pages is the API: paths relative to this origin, so no CORS. */
export const SAME_ORIGIN = "";

const RESET_KEY = "opensspr.reset";

/**
 * The reset in progress, in this tab's sessionStorage: it survives a reload while the user reads their
 * email, is gone when the tab closes, and is never shared with another tab. The token dies with the
 * reset after 15 minutes anyway.
 */
export const sessionResetStore: ResetStore = {
  async get() {
    const saved = sessionStorage.getItem(RESET_KEY);
    if (!saved) return null;
    try {
      return JSON.parse(saved) as ResetSession;
    } catch {
      return null;
    }
  },
  async set(value) {
    sessionStorage.setItem(RESET_KEY, JSON.stringify(value));
  },
  async clear() {
    sessionStorage.removeItem(RESET_KEY);
  },
};

/** "Close" on a web page: back to where the user came from (the sign-in page), else this page afresh. */
export function leavePage(): void {
  if (history.length > 1) history.back();
  else location.assign(location.pathname);
}
