import { useState } from "preact/hooks";
import type { PublicConfig } from "../../shared/api/config.js";
import type { ApiResult, ClientError, ClientErrorCode } from "../api-client.js";
import type { Answer, ResetPurpose } from "../resets-api.js";
import { t } from "../i18n.js";
import { useBusyRequest } from "../ui/use-busy-request.js";
import type { ErrorContext } from "./errors.js";
import type { ResetsClient } from "./resets-client.js";
import { stepAfterVerify, stepFromResume, type ResetMethod, type Step } from "./state.js";

/** Errors after which this reset can't go on: the wizard shows a screen for them instead of a notice. */
const ENDS_RESET: ReadonlySet<ClientErrorCode> = new Set(["reset_blocked", "reset_expired", "unauthorized", "reset_completed", "unlock_not_allowed"]);

export interface WizardError {
  error: ClientError;
  context: ErrorContext;
}

/** The wizard's state machine: each action asks the client, then moves to a step or shows an error. */
export function useWizard(client: ResetsClient) {
  const [step, setStep] = useState<Step>({ name: "loading" });
  const { error, setError, info, setInfo, busy, request, clearNotices } = useBusyRequest<WizardError>();
  const [config, setConfig] = useState<PublicConfig | null>(null);
  const [managedOrgName, setManagedOrgName] = useState<string | null>(null);
  const [username, setUsername] = useState("");
  const [purpose, setPurpose] = useState<ResetPurpose>("reset");
  /** When the worker will take a resend again (from Retry-After), for the resend link's countdown. */
  const [resendAt, setResendAt] = useState<number | null>(null);

  const go = (next: Step) => {
    clearNotices();
    setResendAt(null);
    setStep(next);
  };

  /** An error either ends the reset (a screen of its own) or stays as a notice on the current step. */
  function failed(e: ClientError, context: ErrorContext = "general") {
    if (ENDS_RESET.has(e.code)) return go({ name: "problem", error: e });
    if (e.code === "rate_limited" && context === "resend" && e.retryAfterSeconds !== undefined) setResendAt(Date.now() + e.retryAfterSeconds * 1000);
    setError({ error: e, context });
  }

  async function call<T>(pending: Promise<ApiResult<T>>, context: ErrorContext = "general"): Promise<T | null> {
    const result = await request(pending);
    if (result.ok) return result.value;
    failed(result.error, context);
    return null;
  }

  async function load() {
    go({ name: "loading" });
    const [orgName, c, resume] = await Promise.all([client.managedOrgName(), client.config(), client.resume()]);
    setManagedOrgName(orgName);
    if (!c.ok) return go(c.error.code === "not_configured" ? { name: "setup" } : { name: "problem", error: c.error });
    setConfig(c.value);
    if (resume.ok && resume.value) {
      setUsername(resume.value.username);
      setPurpose(resume.value.reset.purpose);
      return go(stepFromResume(resume.value));
    }
    go({ name: "username" });
  }

  /** Continues the reset the background holds (after the popup reopens, or when out of step with the worker). */
  async function resume() {
    const result = await request(client.resume());
    if (!result.ok) return failed(result.error);
    if (!result.value) return go({ name: "username" });
    setUsername(result.value.username);
    setPurpose(result.value.reset.purpose);
    go(stepFromResume(result.value));
  }

  async function start(name: string, why: ResetPurpose) {
    setUsername(name);
    setPurpose(why);
    const outcome = await call(client.start({ username: name, purpose: why }));
    if (!outcome) return;
    go(outcome.kind === "unavailable" ? { name: "unavailable", helpdesk: outcome.helpdesk } : { name: "choose", reset: outcome.reset });
  }

  /** Email and SMS send a code, questions fetch the questions; an authenticator app needs no request (spec §3). */
  async function choose(method: ResetMethod) {
    if (step.name !== "choose" && step.name !== "code") return;
    const reset = step.reset;
    if (method.type === "totp") return go({ name: "code", reset, method, challenge: null });
    const resent = step.name === "code";
    const challenge = await call(client.challenge({ methodId: method.id }), resent ? "resend" : "general");
    if (!challenge) return;
    if (method.type === "security_questions") return go({ name: "questions", reset, method, challenge });
    go({ name: "code", reset, method, challenge });
    if (resent) setInfo(t("codeResent", method.hint));
  }

  async function verifyCode(code: string) {
    if (step.name !== "code") return;
    const reset = await call(client.verify({ methodId: step.method.id, code }), "code");
    if (reset) go(stepAfterVerify(reset));
  }

  async function verifyAnswers(answers: Answer[]) {
    if (step.name !== "questions") return;
    const { method } = step;
    const result = await request(client.verify({ methodId: method.id, answers }));
    if (result.ok) return go(stepAfterVerify(result.value));
    if (result.error.code !== "invalid_code") return failed(result.error, "answers");
    // A wrong answer restarts the random choice of questions (spec §3): fetch them again (with as
    // many registered as asked, they are the same ones, so the notice says "check", not "new").
    const next = await call(client.challenge({ methodId: method.id }), "answers");
    if (next) {
      go({ name: "questions", reset: step.reset, method, challenge: next });
      setError({ error: result.error, context: "answers" });
    }
  }

  async function changePassword(newPassword: string) {
    if (step.name !== "password") return;
    const result = await request(client.setPassword({ newPassword }));
    if (result.ok) return go({ name: "done" });
    // The worker knows better than this popup which checks are done: reload them and continue there.
    if (result.error.code === "not_verified") return void (await resume());
    failed(result.error);
  }

  /** Clears the lockout; the password stays what the user knows it is. */
  async function unlock() {
    if (step.name !== "unlock") return;
    const result = await request(client.unlock());
    if (result.ok) return go({ name: "unlocked" });
    if (result.error.code === "not_verified") return void (await resume());
    failed(result.error);
  }

  async function restart() {
    await client.cancel();
    go({ name: "username" });
  }

  const back = () => (step.name === "code" || step.name === "questions" ? go({ name: "choose", reset: step.reset }) : void restart());

  return { step, error, info, busy, config, managedOrgName, username, purpose, resendAt, load, start, choose, verifyCode, verifyAnswers, changePassword, unlock, restart, back };
}
