import { browser } from "wxt/browser";
import type { Registration } from "../../shared/api/users.js";
import { PROMPT_RESOLVED } from "../messaging.js";
import type { SignInSession } from "../storage.js";
import { promptFor, tabsOfUser } from "./signin-sessions.js";

/**
 * Once a registration needs no prompt any more (completed or re-confirmed on the registration page),
 * a prompt the same user left open in an older tab would ask for what is already done: tell those
 * tabs' content scripts to close it. A tab without our content script (a registration page, a page
 * since navigated elsewhere) has no receiver, which is fine.
 */
export async function closeResolvedPrompts(session: SignInSession, registration: Registration, pageTab: number | undefined): Promise<void> {
  if (!session.userId || promptFor(registration, session.orgName)) return;
  const tabs = await tabsOfUser(session.baseUrl, session.userId, pageTab);
  await Promise.all(tabs.map((tab) => browser.tabs.sendMessage(tab, PROMPT_RESOLVED).catch(() => undefined)));
}
