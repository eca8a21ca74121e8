import { browser } from "wxt/browser";
import { storage } from "wxt/utils/storage";
import type { Challenge } from "./resets-api.js";

/**
 * Every value the extension keeps, declared once. Nothing here is a password or a code: the wizard
 * holds those only in component state, and the background only while a request is in flight.
 */

/** The worker URL a user entered on the options page (managed storage, when set, wins over it). */
export const workerUrlItem = storage.defineItem<string | null>("local:workerUrl", { fallback: null });

/**
 * The reset in progress, kept by the background so the popup can close (the user switching to their
 * mail to read the code closes it) and reopen at the same step. Session storage lives in memory only
 * and is not readable by content scripts; the token dies with the reset after 15 minutes anyway.
 */
export interface ResetSession {
  baseUrl: string;
  resetId: string;
  resetToken: string;
  username: string;
  /** The challenge the user is answering (a code sent, or the questions asked), if any. */
  challenge: Challenge | null;
}

const RESET_KEY = "reset";
// Fallback for a browser without storage.session: the background's memory (a Firefox MV2 event page).
let memoryReset: ResetSession | null = null;

export const resetSessionStore = {
  async get(): Promise<ResetSession | null> {
    if (!browser.storage.session) return memoryReset;
    const got = await browser.storage.session.get(RESET_KEY);
    return (got[RESET_KEY] as ResetSession | undefined) ?? null;
  },
  async set(value: ResetSession): Promise<void> {
    if (!browser.storage.session) memoryReset = value;
    else await browser.storage.session.set({ [RESET_KEY]: value });
  },
  async clear(): Promise<void> {
    memoryReset = null;
    await browser.storage.session?.remove(RESET_KEY);
  },
};
