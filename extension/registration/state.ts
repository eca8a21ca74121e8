import type { Method, Registration } from "../../shared/api/users.js";
import type { MethodType } from "../../shared/policy/method-types.js";
import type { ClientError } from "../result.js";
import type { QuestionList, RegistrationView } from "./view.js";

/** The registration page's screens. Each carries what it needs to render, nothing more. */
export type Screen =
  | { name: "loading" }
  /** No session for this page, or the worker ended it: sign in again on the sign-in page. */
  | { name: "signed-out" }
  /** The worker can't be reached or answered nonsense: try again. */
  | { name: "problem"; error: ClientError }
  | { name: "overview" }
  | { name: "add-email" }
  | { name: "add-sms" }
  | { name: "add-totp" }
  | { name: "code"; method: Method; expiresAt: string | null }
  | { name: "totp"; method: Method; secret: string; otpauthUri: string }
  | { name: "questions"; list: QuestionList }
  | { name: "remove"; method: Method }
  /** The worker wants the password again (403 reauth_required); `resume` is where the user was. */
  | { name: "reauth"; resume: Screen };

export type ScreenName = Screen["name"];

/** At most this many methods of one type (spec §3). */
export const MAX_PER_TYPE = 5;

const isActive = (m: Method) => m.status === "active";

/** What the policy still needs, as the overview says it (spec §3: distinct types, not questions alone). */
export type Need =
  | { kind: "none" }
  | { kind: "more"; count: number; distinct: boolean }
  /** Enough types, but only security questions among them: they never suffice alone. */
  | { kind: "strong" };

export function need(registration: Registration, available: readonly MethodType[]): Need {
  if (registration.complete) return { kind: "none" };
  const types = new Set(registration.methods.filter(isActive).map((m) => m.type).filter((t) => available.includes(t)));
  const missing = registration.methodsRequired - types.size;
  if (missing <= 0) return { kind: "strong" };
  return { kind: "more", count: missing, distinct: types.size > 0 || missing > 1 };
}

export const countOfType = (view: RegistrationView, type: MethodType): number => view.registration.methods.filter((m) => m.type === type).length;

/** Answered questions, active or pending (to answer again): adding them again replaces them. */
export const hasQuestions = (view: RegistrationView): boolean => view.registration.methods.some((m) => m.type === "security_questions");

/** Removing this active method would leave the registration short of what the policy needs. */
export function removalLeavesIncomplete(registration: Registration, method: Method, available: readonly MethodType[]): boolean {
  if (!registration.complete || !isActive(method)) return false;
  const rest = registration.methods.filter((m) => m.id !== method.id && isActive(m)).map((m) => m.type).filter((t) => available.includes(t));
  const types = new Set(rest);
  return types.size < registration.methodsRequired || ![...types].some((t) => t !== "security_questions");
}

/** Digits in a code: authenticator apps show 6, sent codes are 8 (spec §3). */
export const codeDigits = (type: MethodType): number => (type === "totp" ? 6 : 8);
