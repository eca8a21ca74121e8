import { browser } from "wxt/browser";
import { fail, ok, type ApiResult } from "../api-client.js";
import type { Handlers, Sender } from "../messaging.js";
import { confirmRegistration, createSession, endSession, skipRegistration } from "../registration-api.js";
import { fetchPublicConfig } from "../resets-api.js";
import type { PromptInfo } from "../prompt/prompt-info.js";
import type { SignInSession } from "../storage.js";
import { noteNoticeShown, noticeAllowed } from "./expiry-notices.js";
import { choosePrompt, DEFAULT_NOTICE_DAYS } from "./prompt-choice.js";
import { clearPending, forgetTab, linkTab, rememberSignIn, sessionOfTab, takePending } from "./signin-sessions.js";
import { workerBaseUrl } from "./settings.js";
import { isSignInPage } from "./signin-pages.js";

/**
 * What the sign-in content script may ask (messaging.ts allows only our own script in a tab). It
 * names no session: the background acts with the session of the sign-in in the sender's tab.
 */

const tabOf = (sender: Sender): number | undefined => sender.tab?.id;

/**
 * Sign-ins still being checked, per tab. A form that navigates on submit loads the next page while
 * the worker is still answering; that page's "prompt.pending" waits for the answer instead of
 * finding nothing. Memory is enough: the service worker is busy (awake) while a check runs.
 */
const inFlight = new Map<number, Promise<unknown>>();

async function withTabSession<T>(sender: Sender, run: (s: SignInSession) => Promise<ApiResult<T>>): Promise<ApiResult<T>> {
  const session = await sessionOfTab(tabOf(sender));
  if (!session) return fail("unauthorized", "no sign-in in this tab");
  return run(session);
}

/** The typed credentials, once, to the worker; the prompt to show, if any. */
async function signIn(tabId: number, { username, password }: { username: string; password: string }): Promise<ApiResult<PromptInfo | null>> {
  const base = await workerBaseUrl();
  if (!base.ok || !username || !password) return ok(null);
  const [session, config] = await Promise.all([createSession(base.value, username, password), fetchPublicConfig(base.value)]);
  if (!session.ok) return ok(null);
  const { token, expiresAt, user } = session.value;
  const now = Date.now();
  const prompt = choosePrompt(
    session.value,
    {
      orgName: config.ok ? config.value.orgName : "",
      notifyDaysBefore: config.ok ? config.value.passwordPolicy.expiry.notifyDaysBefore : DEFAULT_NOTICE_DAYS,
      noticeAllowed: await noticeAllowed(base.value, user.id, now),
    },
    now,
  );
  if (prompt?.kind === "expiring") await noteNoticeShown(base.value, user.id, now);
  if (!prompt) {
    // Nothing to ask this user: the session has served its purpose.
    void endSession(base.value, token).catch(() => undefined);
    return ok(null);
  }
  await rememberSignIn(tabId, { id: crypto.randomUUID(), baseUrl: base.value, token, expiresAt, orgName: prompt.orgName, userId: user.id }, prompt);
  return ok(prompt);
}

function openWithSession(sender: Sender, path: "/registration.html" | "/change-password.html"): Promise<ApiResult<null>> {
  return withTabSession(sender, async (session) => {
    const tab = await browser.tabs.create({ url: browser.runtime.getURL(path), openerTabId: tabOf(sender) });
    if (tab.id !== undefined) await linkTab(tab.id, session.id);
    await forgetTab(tabOf(sender));
    return ok(null);
  });
}

export const promptHandlers: Handlers = {
  /**
   * The typed credentials, once (spec §5). They go to the worker and nowhere else, are never stored
   * or logged, and any failure (wrong password, lockout, worker down) shows nothing: the page's own
   * sign-in tells the user what happened.
   */
  "signin.submitted": async (credentials, sender) => {
    const tabId = tabOf(sender);
    if (tabId === undefined || !(await isSignInPage(sender.url))) return ok(null);
    const check = signIn(tabId, credentials);
    inFlight.set(tabId, check);
    try {
      return await check;
    } finally {
      if (inFlight.get(tabId) === check) inFlight.delete(tabId);
    }
  },

  /** The prompt a previous page of this tab never showed (a form that navigated on submit). */
  "prompt.pending": async (_, sender) => {
    const tabId = tabOf(sender);
    if (tabId === undefined) return ok(null);
    await inFlight.get(tabId)?.catch(() => undefined);
    return ok(await takePending(tabId));
  },

  /** Opens the registration page in a new tab; it gets the session through its tab, never through its URL. */
  "prompt.open": (_, sender) => openWithSession(sender, "/registration.html"),

  /** Opens the change-password page the same way: a must-change session works there and nowhere else. */
  "prompt.change": (_, sender) => openWithSession(sender, "/change-password.html"),

  "prompt.skip": (_, sender) =>
    withTabSession(sender, async (session) => {
      const res = await skipRegistration(session.baseUrl, session.token);
      // Postponed, or refused for good: either way this prompt is answered. A network error may be retried.
      if (res.ok || res.error.code === "no_skips_left" || res.error.code === "unauthorized") await forgetTab(tabOf(sender));
      return res.ok ? ok({ skipsLeft: res.value.skipsLeft }) : res;
    }),

  "prompt.confirm": (_, sender) =>
    withTabSession(sender, async (session) => {
      const res = await confirmRegistration(session.baseUrl, session.token);
      if (!res.ok) return res;
      await forgetTab(tabOf(sender));
      return ok(null);
    }),

  "prompt.dismiss": async (_, sender) => {
    const tabId = tabOf(sender);
    if (tabId !== undefined) {
      await clearPending(tabId);
      await forgetTab(tabId);
    }
    return ok(null);
  },
};
