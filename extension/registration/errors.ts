import type { MethodType } from "../../shared/policy/method-types.js";
import { formatWait, t } from "../i18n.js";
import type { ClientError } from "../result.js";
import { describeError, type ErrorView } from "../wizard/errors.js";
import { MAX_PER_TYPE } from "./state.js";

/** What the user was doing: the same code reads differently when adding an email, entering a code or resending. */
export type RegContext = "general" | "add-email" | "add-sms" | "add-totp" | "code" | "resend" | "questions" | "remove" | "confirm" | "reauth";

const ADD_TYPE: Partial<Record<RegContext, MethodType>> = { "add-email": "email", "add-sms": "sms", "add-totp": "totp" };

/**
 * Every error the registration endpoints can give, in words (spec §10), on top of the wizard's texts
 * for the codes both share (wrong code with attempts left, expired code, waits, network).
 * `ofType` is how many methods of the type being added the user already has: it tells "limit reached"
 * from "already registered", which the worker both answers with 409 `conflict`.
 */
export function describeRegistrationError(error: ClientError, context: RegContext, ofType = 0): ErrorView {
  switch (error.code) {
    case "unauthorized":
      return { message: t("regErrorSessionEnded") };
    case "password_change_required":
      return { message: t("regErrorMustChange") };
    case "invalid_credentials":
      return { message: t("regReauthWrong"), about: "password" };
    case "reauth_required":
      return { message: t("regReauthLead") };
    case "method_not_allowed_by_policy":
      // The same code when the type is allowed but the number's country is not (policy methods.smsCountries).
      if (context === "add-sms" && error.details?.some((d) => d.path === "phone")) return { message: t("regErrorPhoneCountry") };
      return { message: t("regErrorNotAllowed") };
    case "conflict": {
      if (ADD_TYPE[context]) return { message: ofType >= MAX_PER_TYPE ? t("regErrorLimit", MAX_PER_TYPE) : t("regErrorDuplicate") };
      if (context === "confirm") return { message: t("regErrorConfirmIncomplete") };
      return { message: t("regErrorAlreadyVerified") };
    }
    case "invalid_request":
      if (context === "add-sms") return { message: t("regErrorPhone") };
      if (context === "add-email") return { message: t("regErrorEmail") };
      if (context === "questions") return { message: t("regErrorQuestions") };
      return describeError(error);
    case "not_found":
      return { message: t("regErrorMethodGone") };
    case "rate_limited":
      if (context === "reauth") {
        const wait = error.retryAfterSeconds;
        return { message: wait === undefined ? t("errorRateLimited") : t("regReauthLockedWait", formatWait(wait)) };
      }
      if (ADD_TYPE[context]) {
        const wait = error.retryAfterSeconds;
        return { message: wait === undefined ? t("regErrorTooManyCodes") : t("regErrorTooManyCodesWait", formatWait(wait)) };
      }
      return describeError(error, context === "resend" ? "resend" : "general");
    case "invalid_code":
    case "code_expired":
      return describeError(error, "code");
    default:
      return describeError(error);
  }
}
