import type { PromptInfo } from "../prompt/prompt-info.js";
import type { SignInResponse } from "../session-response.js";
import { promptFor } from "./signin-sessions.js";

const DAY_MS = 86_400_000;
/** The policy's default `notifyDaysBefore` (spec §4), for a worker whose sign-in answer doesn't say the window. */
export const DEFAULT_NOTICE_DAYS = 14;

/**
 * Whole days until the password expires, when the user should be warned now (issue 15): the session
 * carries `passwordExpiresAt` inside the notice window. Rounded up, so "in 3 days" is never late.
 */
export function expiryNoticeDays(session: SignInResponse, now: number): number | null {
  const fromUser = session.user.passwordExpiresAt;
  const at =
    session.passwordExpiresAt !== undefined
      ? session.passwordExpiresAt
      : fromUser && Date.parse(fromUser) - now <= DEFAULT_NOTICE_DAYS * DAY_MS
        ? fromUser
        : null;
  if (!at) return null;
  const left = Date.parse(at) - now;
  return left > 0 ? Math.ceil(left / DAY_MS) : null;
}

/**
 * The one prompt a sign-in gets, most pressing first: a password that must be replaced before
 * anything else works; then registration the policy requires; then the expiry notice (when it hasn't
 * been shown to this user lately); then the re-confirmation.
 */
export function choosePrompt(session: SignInResponse, orgName: string, now: number, noticeAllowed: boolean): PromptInfo | null {
  const { user } = session;
  if (user.mustChangePassword) return { kind: "change", reason: "temporary", orgName };
  if (user.passwordExpired) return { kind: "change", reason: "expired", orgName };
  const registration = promptFor(session.registration, orgName);
  if (registration?.kind === "required") return registration;
  const daysLeft = noticeAllowed ? expiryNoticeDays(session, now) : null;
  if (daysLeft !== null) return { kind: "expiring", daysLeft, orgName };
  return registration;
}
