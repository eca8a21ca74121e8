import type { Registration } from "../../shared/api/users.js";
import type { PromptInfo } from "../prompt/prompt-info.js";
import { endSession } from "../registration-api.js";
import { signInStore, type SignInSession, type SignInState } from "../storage.js";

/**
 * Book-keeping of sign-in sessions per tab (storage.ts explains where they live). A session no tab
 * points at any more is revoked at the worker at once: the extension holds no session it doesn't need.
 */

/** An unanswered prompt is offered again to the tab's next page only this long (a form that navigates on submit). */
export const PENDING_MS = 60_000;

const key = (tabId: number) => String(tabId);

/**
 * How many more methods a user who has some must add: the policy's count of distinct active types,
 * and at least one (enough types that are all security questions still need one more of another kind).
 * Null for a user with none yet, whom the prompt asks to set recovery up from the start.
 */
function moreMethodsNeeded(registration: Registration): number | null {
  const types = new Set(registration.methods.filter((m) => m.status === "active").map((m) => m.type));
  return types.size === 0 ? null : Math.max(1, registration.methodsRequired - types.size);
}

/** Spec §5: prompt when registration is required, or complete but due to be re-confirmed. */
export function promptFor(registration: Registration, orgName: string): PromptInfo | null {
  if (registration.required) {
    const moreNeeded = moreMethodsNeeded(registration);
    const prompt: PromptInfo = { kind: "required", skipsLeft: registration.skipsLeft, orgName };
    return moreNeeded === null ? prompt : { ...prompt, moreNeeded };
  }
  if (registration.reconfirmDue) return { kind: "reconfirm", skipsLeft: registration.skipsLeft, orgName };
  return null;
}

/** Drops expired sessions, tab links to missing sessions and stale pending prompts; returns sessions no tab uses. */
function tidy(state: SignInState, now: number): SignInSession[] {
  for (const [id, s] of Object.entries(state.sessions)) if (Date.parse(s.expiresAt) <= now) delete state.sessions[id];
  for (const [tab, id] of Object.entries(state.tabs)) if (!state.sessions[id]) delete state.tabs[tab];
  for (const [tab, p] of Object.entries(state.pending)) if (now - p.at > PENDING_MS || !state.tabs[tab]) delete state.pending[tab];
  const used = new Set(Object.values(state.tabs));
  const orphans = Object.values(state.sessions).filter((s) => !used.has(s.id));
  for (const s of orphans) delete state.sessions[s.id];
  return orphans;
}

function revoke(sessions: SignInSession[]): void {
  // Best effort: a session the worker no longer knows is as good as revoked, and it expires anyway.
  for (const s of sessions) void endSession(s.baseUrl, s.token).catch(() => undefined);
}

async function change<T>(apply: (state: SignInState) => T): Promise<T> {
  const [result, orphans] = await signInStore.update((state) => {
    const r = apply(state);
    return [r, tidy(state, Date.now())] as const;
  });
  revoke(orphans);
  return result;
}

/** A new sign-in in this tab replaces whatever session the tab had. */
export const rememberSignIn = (tabId: number, session: SignInSession, prompt: PromptInfo) =>
  change((s) => {
    s.sessions[session.id] = session;
    s.tabs[key(tabId)] = session.id;
    s.pending[key(tabId)] = { prompt, at: Date.now() };
  });

export async function sessionOfTab(tabId: number | undefined): Promise<SignInSession | null> {
  if (tabId === undefined) return null;
  return change((s) => {
    const id = s.tabs[key(tabId)];
    const session = id ? s.sessions[id] : undefined;
    return session && Date.parse(session.expiresAt) > Date.now() ? session : null;
  });
}

/** The registration page opened from a prompt acts with the prompt's session. */
export const linkTab = (tabId: number, sessionId: string) =>
  change((s) => {
    s.tabs[key(tabId)] = sessionId;
  });

/** The tab is done with its session (prompt answered, page closed, session rejected by the worker). */
export const forgetTab = (tabId: number | undefined) =>
  change((s) => {
    if (tabId === undefined) return;
    delete s.tabs[key(tabId)];
    delete s.pending[key(tabId)];
  });

/**
 * The tabs, other than `except`, that hold a sign-in of this user at this worker; their unshown
 * prompts are dropped. Their sessions stay linked until each tab's prompt is answered or dismissed.
 */
export const tabsOfUser = (baseUrl: string, userId: string, except: number | undefined) =>
  change((s) => {
    const tabs: number[] = [];
    for (const [tab, id] of Object.entries(s.tabs)) {
      const session = s.sessions[id];
      if (Number(tab) === except || session?.baseUrl !== baseUrl || session.userId !== userId) continue;
      delete s.pending[tab];
      tabs.push(Number(tab));
    }
    return tabs;
  });

export const clearPending = (tabId: number) =>
  change((s) => {
    delete s.pending[key(tabId)];
  });

/** The prompt this tab's previous page never showed, if it is recent; handed out once. */
export const takePending = (tabId: number) =>
  change((s) => {
    const p = s.pending[key(tabId)];
    delete s.pending[key(tabId)];
    return p && Date.now() - p.at <= PENDING_MS ? p.prompt : null;
  });
