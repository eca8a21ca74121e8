import { browser, type Browser } from "wxt/browser";
import type { PublicConfig } from "../shared/api/config.js";
import type { AddMethodRequest } from "../shared/api/me.js";
import type { Reset, Unavailable } from "../shared/api/resets.js";
import type { Method, Registration } from "../shared/api/users.js";
import type { ChangePasswordRequest, ChangePasswordView } from "./change-password/view.js";
import type { PromptInfo } from "./prompt/prompt-info.js";
import type { AddedMethod, QuestionList, RegistrationView, SignInAccess } from "./registration/view.js";
import type { Answer, Challenge, ResetPurpose, VerifyInput } from "./resets-api.js";
import { fail, type ApiResult } from "./result.js";

/**
 * The one declaration of what extension pages may ask the background (which alone talks to the
 * worker). Each entry is [request, result]; every result arrives as an ApiResult so the UI handles
 * failures one way. Later features add their entries here.
 */
export interface Settings {
  workerUrl: string | null;
  /** Where the URL came from: enterprise policy, the options page, or baked into this build. */
  source: "managed" | "user" | "build" | null;
  managedOrgName: string | null;
}
/** A Reset as pages see it: the token stays in the background. */
export type PublicReset = Omit<Reset, "resetToken">;
export type StartOutcome = { kind: "reset"; reset: PublicReset } | { kind: "unavailable"; helpdesk: Unavailable["helpdesk"] };
export interface ResumeState {
  username: string;
  reset: PublicReset;
  challenge: Challenge | null;
}

export interface ProtocolMap {
  "settings.get": [void, Settings];
  "settings.save": [{ url: string }, { workerUrl: string; config: PublicConfig }];
  "config.fetch": [void, PublicConfig];
  "reset.resume": [void, ResumeState | null];
  "reset.start": [{ username: string; purpose: ResetPurpose }, StartOutcome];
  "reset.challenge": [{ methodId: string }, Challenge];
  "reset.verify": [VerifyInput, PublicReset];
  "reset.password": [{ newPassword: string }, PublicReset];
  "reset.unlock": [void, PublicReset];
  "reset.cancel": [void, null];

  // Where sign-in prompts may run (options page): the policy's signInPages and which the user granted.
  "access.get": [void, SignInAccess];
  "access.sync": [void, SignInAccess];

  // From the sign-in content script (see isOwnContentScript). The password crosses here once, to be
  // exchanged for a session; every later message names no session: the background knows the tab.
  "signin.submitted": [{ username: string; password: string }, PromptInfo | null];
  "prompt.pending": [void, PromptInfo | null];
  "prompt.open": [void, null];
  "prompt.change": [void, null];
  "prompt.skip": [void, { skipsLeft: number }];
  "prompt.confirm": [void, null];
  "prompt.dismiss": [void, null];

  // From the registration page, acting with the session of the sign-in that opened it.
  "registration.load": [void, RegistrationView];
  "registration.add": [AddMethodRequest, AddedMethod];
  "registration.verify": [{ methodId: string; code: string }, Method];
  "registration.resend": [{ methodId: string }, { expiresAt: string }];
  "registration.remove": [{ methodId: string }, null];
  "registration.questions": [void, QuestionList];
  "registration.answer": [{ answers: Answer[] }, Method];
  "registration.confirm": [void, Registration];
  "registration.end": [void, null];
  // The password again, when the worker asks for a fresh session (403 reauth_required).
  "registration.reauth": [{ password: string }, { freshUntil: string }];

  // From the change-password page: with the session of the sign-in that opened it, or none (popup).
  "password.load": [void, ChangePasswordView];
  "password.change": [ChangePasswordRequest, null];
}
export type MessageName = keyof ProtocolMap;
export type MessageData<K extends MessageName> = ProtocolMap[K][0];
export type MessageResult<K extends MessageName> = ApiResult<ProtocolMap[K][1]>;
export type Sender = Browser.runtime.MessageSender;
export type Handlers = { [K in MessageName]?: (data: MessageData<K>, sender: Sender) => Promise<MessageResult<K>> };

interface Envelope {
  channel: "opensspr";
  name: MessageName;
  data: unknown;
}

/** The one message the background sends to a sign-in tab: the user's registration no longer needs its prompt. */
export const PROMPT_RESOLVED = { channel: "opensspr", name: "prompt.resolved" } as const;

/** PROMPT_RESOLVED from this extension's background (a tab's own scripts have `sender.tab`; pages can't message at all). */
export const isPromptResolved = (message: unknown, sender: Browser.runtime.MessageSender): boolean =>
  sender.id === browser.runtime.id &&
  sender.tab === undefined &&
  typeof message === "object" &&
  message !== null &&
  (message as { channel?: unknown }).channel === PROMPT_RESOLVED.channel &&
  (message as { name?: unknown }).name === PROMPT_RESOLVED.name;
const isEnvelope = (m: unknown): m is Envelope =>
  typeof m === "object" && m !== null && (m as Envelope).channel === "opensspr" && typeof (m as Envelope).name === "string";

export async function sendMessage<K extends MessageName>(name: K, ...[data]: MessageData<K> extends void ? [] : [MessageData<K>]): Promise<MessageResult<K>> {
  try {
    const reply = (await browser.runtime.sendMessage({ channel: "opensspr", name, data } satisfies Envelope)) as MessageResult<K> | undefined;
    return reply ?? fail("extension_error", `no answer to ${name}`);
  } catch (e) {
    return fail("extension_error", e instanceof Error ? e.message : String(e));
  }
}

/** Only this extension's own pages (popup, options): a content script runs inside a web page and must not drive a reset. */
export function isExtensionPage(sender: Browser.runtime.MessageSender): boolean {
  return sender.id === browser.runtime.id && (sender.url ?? "").startsWith(browser.runtime.getURL("/"));
}

/**
 * This extension's sign-in content script: inside a web page's top frame, in a tab. Other extensions
 * and web pages can't reach onMessage at all (no externally_connectable), so this tells our script
 * apart from our own pages, which must not be mistaken for a sign-in tab.
 */
export function isOwnContentScript(sender: Browser.runtime.MessageSender): boolean {
  return (
    sender.id === browser.runtime.id &&
    typeof sender.tab?.id === "number" &&
    (sender.frameId ?? 0) === 0 &&
    /^https?:\/\//.test(sender.url ?? "")
  );
}

/**
 * Installs the background's listener for the given handlers. Answers through sendResponse (every
 * Chrome and Firefox version) and also returns the promise, which is what newer browsers and the
 * fake browser in tests use.
 */
export function onMessages(handlers: Handlers, allow: (sender: Browser.runtime.MessageSender) => boolean = isExtensionPage): () => void {
  const listener = (message: unknown, sender: Browser.runtime.MessageSender, sendResponse?: (r: unknown) => void) => {
    if (!isEnvelope(message)) return undefined;
    const handler = handlers[message.name] as ((data: unknown, sender: Sender) => Promise<ApiResult<unknown>>) | undefined;
    if (!handler) return undefined;
    const reply = allow(sender)
      ? handler(message.data, sender).catch((e: unknown) => fail("extension_error", e instanceof Error ? e.message : String(e)))
      : Promise.resolve(fail("extension_error", "sender not allowed"));
    if (typeof sendResponse === "function") {
      void reply.then(sendResponse);
      return true;
    }
    return reply;
  };
  browser.runtime.onMessage.addListener(listener);
  return () => browser.runtime.onMessage.removeListener(listener);
}
