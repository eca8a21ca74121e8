import type { PromptInfo } from "../prompt/prompt-info.js";
import type { SessionResponse } from "../../shared/api/sessions.js";
import { promptFor } from "./signin-sessions.js";

const DAY_MS = 86_400_000;
/** The policy's default `notifyDaysBefore` (spec §4), when the public config could not be read. */
export const DEFAULT_NOTICE_DAYS = 14;

/**
 * Whole days until the password expires, when that is inside the policy's notice window (issue 15:
 * `passwordPolicy.expiry.notifyDaysBefore` in GET /v1/config). Rounded up, so "in 3 days" is never late.
 */
export function expiryNoticeDays(passwordExpiresAt: string | null, notifyDaysBefore: number, now: number): number | null {
  if (!passwordExpiresAt) return null;
  const left = Date.parse(passwordExpiresAt) - now;
  return left > 0 && left <= notifyDaysBefore * DAY_MS ? Math.ceil(left / DAY_MS) : null;
}

export interface PromptContext {
  orgName: string;
  notifyDaysBefore: number;
  /** The expiry notice hasn't been shown to this user lately (expiry-notices.ts). */
  noticeAllowed: boolean;
}

/**
 * The one prompt a sign-in gets, most pressing first: a password that must be replaced before
 * anything else works; then registration the policy requires; then the expiry notice; then the
 * re-confirmation.
 */
export function choosePrompt(session: SessionResponse, ctx: PromptContext, now: number): PromptInfo | null {
  const { user } = session;
  const { orgName } = ctx;
  if (user.mustChangePassword) return { kind: "change", reason: "temporary", orgName };
  if (user.passwordExpired) return { kind: "change", reason: "expired", orgName };
  const registration = promptFor(session.registration, orgName);
  if (registration?.kind === "required") return registration;
  const daysLeft = ctx.noticeAllowed ? expiryNoticeDays(user.passwordExpiresAt, ctx.notifyDaysBefore, now) : null;
  if (daysLeft !== null) return { kind: "expiring", daysLeft, orgName };
  return registration;
}
