import type { Unavailable } from "../../shared/api/resets.js";
import type { ClientError } from "../api-client.js";
import type { PublicReset, ResumeState } from "../messaging.js";
import type { Challenge } from "../resets-api.js";

/** The wizard's screens (spec §5 Reset). Each carries what it needs to render, nothing more. */
export type ResetMethod = PublicReset["methods"][number];
export type Helpdesk = Unavailable["helpdesk"];

export type Step =
  | { name: "loading" }
  | { name: "setup" }
  | { name: "username" }
  | { name: "unavailable"; helpdesk: Helpdesk }
  | { name: "choose"; reset: PublicReset }
  | { name: "code"; reset: PublicReset; method: ResetMethod; challenge: Challenge | null }
  | { name: "questions"; reset: PublicReset; method: ResetMethod; challenge: Challenge }
  | { name: "password"; reset: PublicReset }
  /** "I know my password but can't sign in": proved, now one press clears the lockout. */
  | { name: "unlock"; reset: PublicReset }
  | { name: "done" }
  | { name: "unlocked" }
  /** Nothing more to do here: blocked, expired, unreachable. */
  | { name: "problem"; error: ClientError };

export type StepName = Step["name"];

/** Methods the user can still use: not yet verified, and of another type than a verified one (api.md). */
export function usableMethods(reset: PublicReset): ResetMethod[] {
  const verified = reset.methods.filter((m) => reset.verifiedMethodIds.includes(m.id));
  return reset.methods.filter((m) => !reset.verifiedMethodIds.includes(m.id) && !verified.some((v) => v.type === m.type));
}

export function stepAfterVerify(reset: PublicReset): Step {
  if (reset.verifiedMethodIds.length < reset.methodsRequired) return { name: "choose", reset };
  return reset.purpose === "unlock" ? { name: "unlock", reset } : { name: "password", reset };
}

/** Where a reopened popup continues: the challenge being answered, else the next step. */
export function stepFromResume({ reset, challenge }: ResumeState): Step {
  if (reset.status === "completed") return reset.purpose === "unlock" ? { name: "unlocked" } : { name: "done" };
  const method = challenge ? reset.methods.find((m) => m.id === challenge.methodId) : undefined;
  if (challenge && method && !reset.verifiedMethodIds.includes(method.id)) {
    return method.type === "security_questions"
      ? { name: "questions", reset, method, challenge }
      : { name: "code", reset, method, challenge };
  }
  return stepAfterVerify(reset);
}

/**
 * "Step n of N": the username, one step per method to prove, the new password (or the unlock). Until the worker
 * says how many methods this user needs (it answers the username), the total isn't known: the
 * username step says only "Step 1", so the total never changes under the user mid-flow.
 */
export function progress(step: Step): { current: number; total: number | null } | null {
  switch (step.name) {
    case "username":
      return { current: 1, total: null };
    case "choose":
    case "code":
    case "questions": {
      const required = step.reset.methodsRequired;
      return { current: 2 + Math.min(step.reset.verifiedMethodIds.length, required - 1), total: required + 2 };
    }
    case "password":
    case "unlock":
      return { current: step.reset.methodsRequired + 2, total: step.reset.methodsRequired + 2 };
    default:
      return null;
  }
}

/** Digits a method's code has: TOTP apps show 6, sent codes are 8 (spec §3). */
export const codeLength = (type: ResetMethod["type"]): number => (type === "totp" ? 6 : 8);
