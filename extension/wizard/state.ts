import type { PublicConfig } from "../../shared/api/config.js";
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
  | { name: "done" }
  /** Nothing more to do here: blocked, expired, unreachable. */
  | { name: "problem"; error: ClientError };

export type StepName = Step["name"];

/** Methods the user can still use: not yet verified, and of another type than a verified one (api.md). */
export function usableMethods(reset: PublicReset): ResetMethod[] {
  const verified = reset.methods.filter((m) => reset.verifiedMethodIds.includes(m.id));
  return reset.methods.filter((m) => !reset.verifiedMethodIds.includes(m.id) && !verified.some((v) => v.type === m.type));
}

export function stepAfterVerify(reset: PublicReset): Step {
  return reset.verifiedMethodIds.length >= reset.methodsRequired ? { name: "password", reset } : { name: "choose", reset };
}

/** Where a reopened popup continues: the challenge being answered, else the next step. */
export function stepFromResume({ reset, challenge }: ResumeState): Step {
  if (reset.status === "completed") return { name: "done" };
  const method = challenge ? reset.methods.find((m) => m.id === challenge.methodId) : undefined;
  if (challenge && method && !reset.verifiedMethodIds.includes(method.id)) {
    return method.type === "security_questions"
      ? { name: "questions", reset, method, challenge }
      : { name: "code", reset, method, challenge };
  }
  return stepAfterVerify(reset);
}

/**
 * "Step n of N": the username, one step per method to prove, the new password. Before the worker
 * says how many methods this user needs, the policy's number is the best guess.
 */
export function progress(step: Step, config: PublicConfig | null): { current: number; total: number } | null {
  const reset = "reset" in step ? step.reset : null;
  const required = reset?.methodsRequired ?? config?.methods.required ?? 1;
  const total = required + 2;
  switch (step.name) {
    case "username":
      return { current: 1, total };
    case "choose":
    case "code":
    case "questions":
      return { current: 2 + Math.min(step.reset.verifiedMethodIds.length, required - 1), total };
    case "password":
      return { current: total, total };
    default:
      return null;
  }
}

/** Digits a method's code has: TOTP apps show 6, sent codes are 8 (spec §3). */
export const codeLength = (type: ResetMethod["type"]): number => (type === "totp" ? 6 : 8);
