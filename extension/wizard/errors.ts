import type { ClientError } from "../api-client.js";
import { formatWait, t } from "../i18n.js";

export interface ErrorView {
  message: string;
  /** Extra lines, e.g. each password rule the worker refused. */
  items?: string[];
  /** Set when what the user typed was wrong, so the step can empty and mark that field. */
  about?: "code" | "answers" | "password" | "current";
  /**
   * A wait, not a failure ("You can ask for another in 45 seconds"): shown as a calm status line
   * rather than a red alert, since the user did nothing wrong.
   */
  calm?: boolean;
}

/** What the user was doing when the error came: the same code reads differently for a code, answers or a resend. */
export type ErrorContext = "general" | "code" | "answers" | "resend";

function attemptsLeft(error: ClientError): number | undefined {
  const n = error.details?.find((d) => typeof d.attemptsLeft === "number")?.attemptsLeft;
  return typeof n === "number" ? n : undefined;
}

function invalidCode(error: ClientError, context: ErrorContext): string {
  const first = context === "answers" ? t("errorWrongAnswers") : t("errorWrongCode");
  const left = attemptsLeft(error);
  if (left === undefined) return first;
  return `${first} ${left === 1 ? t("attemptsLeftOne") : t("attemptsLeftMany", left)}`;
}

const wait = (error: ClientError, withTime: Parameters<typeof t>[0], without: Parameters<typeof t>[0]) =>
  error.retryAfterSeconds !== undefined ? t(withTime, formatWait(error.retryAfterSeconds)) : t(without);

/**
 * Every error of the contract in words: what happened and what to do next (spec §10), never a bare
 * code. The worker's own message is English and for logs; this text comes from the locale files.
 */
export function describeError(error: ClientError, context: ErrorContext = "general"): ErrorView {
  switch (error.code) {
    case "invalid_code":
      return { message: invalidCode(error, context), about: context === "answers" ? "answers" : "code" };
    case "code_expired":
      return { message: t("errorCodeExpired"), about: "code" };
    case "rate_limited":
      return context === "resend"
        ? error.retryAfterSeconds !== undefined
          ? { message: t("errorResendWait", formatWait(error.retryAfterSeconds)), calm: true }
          : { message: t("errorRateLimited") }
        : { message: wait(error, "errorRateLimitedWait", "errorRateLimited") };
    case "reset_blocked":
      return { message: wait(error, "errorBlockedWait", "errorBlocked") };
    case "reset_expired":
    case "unauthorized":
      return { message: t("errorResetExpired") };
    case "reset_completed":
      return { message: t("errorResetCompleted") };
    case "password_policy": {
      const items = (error.details ?? []).map((d) => d.message).filter((m): m is string => typeof m === "string");
      // The organisation's directory refused it by its own rules, which the checklist can't know (directory.md).
      const byDirectory = error.details?.some((d) => d.rule === "directory") ?? false;
      return { message: byDirectory ? t("errorDirectoryRefused") : t("errorPasswordPolicy"), items, about: "password" };
    }
    case "invalid_current_password":
      return { message: t("errorCurrentPassword"), about: "current" };
    case "invalid_credentials":
      return { message: t("errorSignInCredentials"), about: "current" };
    case "unlock_not_allowed":
      return { message: t("errorUnlockNotAllowed") };
    case "not_verified":
      return { message: t("errorNotVerified") };
    case "not_found":
      return { message: t("errorMethodGone") };
    case "network":
      return { message: t("errorNetwork") };
    case "not_configured":
      return { message: t("errorNotConfigured") };
    case "invalid_url":
      return { message: t("errorInvalidUrl") };
    case "forbidden":
      return { message: t("errorManaged") };
    case "bad_response":
      return { message: t("errorBadResponse") };
    case "invalid_request":
      return { message: t("errorInvalidRequest") };
    case "directory_unavailable":
      return { message: t("errorDirectoryUnavailable") };
    case "managed_by_directory":
      return { message: t("errorManagedByDirectory") };
    case "extension_error":
      return { message: t("errorExtension") };
    default:
      return { message: t("errorServer") };
  }
}
