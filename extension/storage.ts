import { browser } from "wxt/browser";
import { storage } from "wxt/utils/storage";
import type { PromptInfo } from "./prompt/prompt-info.js";
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

/**
 * Sessions from sign-ins on the organisation's sign-in pages (spec §5): only the token, never the
 * password, and only in storage.session (memory; content scripts can't read it) so it survives the
 * service worker sleeping while the user reads their email, but not a browser restart. Each sign-in
 * tab, and the registration page it opened, points at its session, so a prompt in one tab can never
 * act for the user who signed in in another.
 */
export interface SignInSession {
  id: string;
  baseUrl: string;
  token: string;
  /** From the worker (8 hours); an expired session is dropped without asking the worker. */
  expiresAt: string;
  orgName: string;
  /** Whose sign-in it is, so that once they are registered their prompts in other tabs can close. */
  userId: string;
}

export interface SignInState {
  sessions: Record<string, SignInSession>;
  /** Tab id → session id. */
  tabs: Record<string, string>;
  /** Tab id → a prompt not yet answered, for a sign-in form whose page navigated away on submit. */
  pending: Record<string, { prompt: PromptInfo; at: number }>;
}

const SIGNIN_KEY = "signin";
const emptySignIn = (): SignInState => ({ sessions: {}, tabs: {}, pending: {} });
let memorySignIn: SignInState = emptySignIn();
// Messages arrive concurrently; updates run one after another so none is lost.
let signInQueue: Promise<unknown> = Promise.resolve();

async function readSignIn(): Promise<SignInState> {
  if (!browser.storage.session) return memorySignIn;
  const got = await browser.storage.session.get(SIGNIN_KEY);
  return (got[SIGNIN_KEY] as SignInState | undefined) ?? emptySignIn();
}

async function writeSignIn(state: SignInState): Promise<void> {
  if (!browser.storage.session) memorySignIn = state;
  else await browser.storage.session.set({ [SIGNIN_KEY]: state });
}

export const signInStore = {
  get: (): Promise<SignInState> => signInQueue.then(readSignIn),
  /** Applies `change` to a copy of the state and saves it; returns what `change` returned. */
  update<T>(change: (state: SignInState) => T): Promise<T> {
    const run = signInQueue.then(async () => {
      const state = structuredClone(await readSignIn());
      const result = change(state);
      await writeSignIn(state);
      return result;
    });
    signInQueue = run.catch(() => undefined);
    return run;
  },
  async clear(): Promise<void> {
    await signInStore.update((s) => Object.assign(s, emptySignIn()));
  },
};

/** The policy's sign-in pages as last fetched, so content scripts can be re-registered while the worker is unreachable. */
export const signInPagesItem = storage.defineItem<string[]>("local:signInPages", { fallback: [] });
