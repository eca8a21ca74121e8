import { AUTHENTICATOR_HINT } from "../../shared/api/resets.js";
import { t } from "../i18n.js";
import type { ResetMethod } from "./state.js";

/** How a method reads in the list: what will happen, and to which masked address or number. */
export function methodLabel(method: ResetMethod): string {
  switch (method.type) {
    case "email":
      return t("methodEmail", method.hint);
    case "sms":
      return t("methodSms", method.hint);
    case "totp": {
      const number = appNumber(method);
      return number ? t("methodTotpNumbered", number) : t("methodTotp");
    }
    case "security_questions":
      return t("methodQuestions");
  }
}

/**
 * Resets name authenticator apps generically (never the label the user typed), numbered when the user
 * has several: "Authenticator app 2" gives "2", the only app "".
 */
export function appNumber(method: ResetMethod): string {
  return method.hint.startsWith(`${AUTHENTICATOR_HINT} `) ? method.hint.slice(AUTHENTICATOR_HINT.length + 1) : "";
}

/** The button names the next action, so the user knows a message is about to be sent. */
export function chooseButtonLabel(method: ResetMethod | undefined): string {
  return method?.type === "email" || method?.type === "sms" ? t("sendCode") : t("continue");
}
