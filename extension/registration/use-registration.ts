import { useRef, useState } from "preact/hooks";
import { browser } from "wxt/browser";
import type { AddMethodRequest } from "../../shared/api/me.js";
import type { Method } from "../../shared/api/users.js";
import { t } from "../i18n.js";
import { sendMessage } from "../messaging.js";
import type { Answer } from "../resets-api.js";
import type { ApiResult, ClientError, ClientErrorCode } from "../result.js";
import { useBusyRequest } from "../ui/use-busy-request.js";
import type { RegContext } from "./errors.js";
import type { Screen } from "./state.js";
import type { RegistrationView } from "./view.js";

/** Errors after which the page can't go on with this session: sign in again. */
const SESSION_OVER: ReadonlySet<ClientErrorCode> = new Set(["unauthorized", "password_change_required"]);
/** Errors where nothing loaded and retrying is the only move. */
const UNREACHABLE: ReadonlySet<ClientErrorCode> = new Set(["network", "bad_response", "not_configured", "extension_error", "internal_error"]);

export interface RegError {
  error: ClientError;
  context: RegContext;
}

const addedText = (method: Method): string =>
  method.type === "email" ? t("regAddedEmail") : method.type === "sms" ? t("regAddedSms") : method.type === "totp" ? t("regAddedTotp") : t("regAddedQuestions");

/** The registration page's state machine: each action asks the background, then moves on or shows an error. */
export function useRegistration() {
  const [screen, setScreen] = useState<Screen>({ name: "loading" });
  const [view, setView] = useState<RegistrationView | null>(null);
  const { error, setError, info, setInfo, busy, request, clearNotices } = useBusyRequest<RegError>();
  const [signedOutBecause, setSignedOutBecause] = useState<ClientErrorCode | null>(null);
  /** When the worker will take a resend again (from Retry-After), for the button's countdown. */
  const [resendAt, setResendAt] = useState<number | null>(null);
  /** Org name and helpdesk when the page can't load the user's view (signed out): from the public config. */
  const [fallback, setFallback] = useState<{ orgName: string; helpdesk: RegistrationView["helpdesk"] } | null>(null);

  /** The change the user asked for last: once they have proved their password, it runs again. */
  const retry = useRef<(() => Promise<void>) | null>(null);

  /**
   * Wraps a change the worker may refuse with 403 reauth_required (adding, verifying, resending,
   * removing, answering): the call is remembered with its arguments, and with the screen it was made
   * from, so "Confirm it's you" can take the user back there and finish what they were doing.
   */
  const retryable =
    <A extends unknown[]>(action: (...args: A) => Promise<void>) =>
    (...args: A): Promise<void> => {
      retry.current = () => action(...args);
      return action(...args);
    };

  const go = (next: Screen, note: string | null = null) => {
    clearNotices(note);
    setScreen(next);
  };

  function failed(e: ClientError, context: RegContext) {
    if (e.code === "reauth_required") return go({ name: "reauth", resume: screen.name === "reauth" ? screen.resume : screen });
    if (SESSION_OVER.has(e.code)) {
      setSignedOutBecause(e.code);
      void sendMessage("config.fetch").then((c) => c.ok && setFallback({ orgName: c.value.orgName, helpdesk: c.value.helpdesk }));
      return go({ name: "signed-out" });
    }
    if (e.code === "rate_limited" && e.retryAfterSeconds !== undefined && (context === "resend" || context === "code")) {
      setResendAt(Date.now() + e.retryAfterSeconds * 1000);
    }
    setError({ error: e, context });
  }

  async function call<T>(pending: Promise<ApiResult<T>>, context: RegContext = "general"): Promise<T | null> {
    const result = await request(pending);
    if (result.ok) return result.value;
    failed(result.error, context);
    return null;
  }

  /**
   * Loads the user's methods and status and shows them; `note` is what to say on arrival ("Email
   * address added."). Every change ends here, so the user sees their methods and what is still needed.
   */
  async function load(note: string | null = null): Promise<void> {
    const result = await request(sendMessage("registration.load"));
    if (!result.ok) {
      if (SESSION_OVER.has(result.error.code)) return failed(result.error, "general");
      return go(UNREACHABLE.has(result.error.code) ? { name: "problem", error: result.error } : { name: "overview" });
    }
    setView(result.value);
    go({ name: "overview" }, note);
  }

  async function add(body: AddMethodRequest) {
    const context: RegContext = body.type === "email" ? "add-email" : body.type === "sms" ? "add-sms" : "add-totp";
    const added = await call(sendMessage("registration.add", body), context);
    if (!added) return;
    if (added.method.type === "totp" && added.secret && added.otpauthUri) {
      return go({ name: "totp", method: added.method, secret: added.secret, otpauthUri: added.otpauthUri });
    }
    go({ name: "code", method: added.method, expiresAt: null });
  }

  async function verify(code: string) {
    if (screen.name !== "code" && screen.name !== "totp") return;
    const method = await call(sendMessage("registration.verify", { methodId: screen.method.id, code }), "code");
    if (method) await load(addedText(method));
  }

  async function resend() {
    if (screen.name !== "code") return;
    const sent = await call(sendMessage("registration.resend", { methodId: screen.method.id }), "resend");
    if (sent) {
      setResendAt(null);
      setScreen({ ...screen, expiresAt: sent.expiresAt });
      setInfo(t("codeResent", screen.method.hint));
    }
  }

  /** A pending email or phone from the list: send a fresh code and ask for it. */
  async function continueVerifying(method: Method) {
    const result = await request(sendMessage("registration.resend", { methodId: method.id }));
    if (!result.ok && (SESSION_OVER.has(result.error.code) || result.error.code === "reauth_required")) return failed(result.error, "resend");
    go({ name: "code", method, expiresAt: result.ok ? result.value.expiresAt : null });
    // A code sent under a minute ago still works: say so rather than fail.
    if (!result.ok) failed(result.error, "resend");
  }

  async function openQuestions() {
    const list = await call(sendMessage("registration.questions"));
    if (list) go({ name: "questions", list });
  }

  async function saveAnswers(answers: Answer[]) {
    const method = await call(sendMessage("registration.answer", { answers }), "questions");
    if (method) await load(addedText(method));
  }

  async function remove() {
    if (screen.name !== "remove") return;
    const result = await request(sendMessage("registration.remove", { methodId: screen.method.id }));
    if (!result.ok) return failed(result.error, "remove");
    await load(t("regRemoved"));
  }

  /** Leaving the authenticator step without a code: the half-added app is removed, not left pending. */
  async function cancelTotp() {
    if (screen.name !== "totp") return;
    const removed = await request(sendMessage("registration.remove", { methodId: screen.method.id }));
    if (!removed.ok && removed.error.code === "reauth_required") return failed(removed.error, "remove");
    await load();
  }

  /** The password proved again: back where the user was, and what they were doing runs again. */
  async function reauth(password: string) {
    if (screen.name !== "reauth") return;
    const result = await request(sendMessage("registration.reauth", { password }));
    if (!result.ok) return failed(result.error, "reauth");
    const again = retry.current;
    retry.current = null;
    go(screen.resume);
    if (again) await again();
  }

  function cancelReauth() {
    if (screen.name !== "reauth") return;
    retry.current = null;
    go(screen.resume);
  }

  async function confirm() {
    const registration = await call(sendMessage("registration.confirm"), "confirm");
    if (registration && view) {
      setView({ ...view, registration });
      setInfo(t("regConfirmed"));
    }
  }

  /** Done: the background lets go of the session, and the tab closes. */
  async function finish() {
    await sendMessage("registration.end");
    const tab = await browser.tabs.getCurrent().catch(() => undefined);
    if (tab?.id !== undefined) await browser.tabs.remove(tab.id);
    else window.close();
  }

  const back = () => go({ name: "overview" });

  return {
    screen,
    view,
    error,
    info,
    busy,
    signedOutBecause,
    resendAt,
    fallback,
    go,
    back,
    load,
    add: retryable(add),
    verify: retryable(verify),
    resend: retryable(resend),
    continueVerifying: retryable(continueVerifying),
    openQuestions,
    saveAnswers: retryable(saveAnswers),
    remove: retryable(remove),
    cancelTotp: retryable(cancelTotp),
    reauth,
    cancelReauth,
    confirm,
    finish,
  };
}
