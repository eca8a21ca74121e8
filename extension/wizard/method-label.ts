import { t } from "../i18n.js";
import type { ResetMethod } from "./state.js";

/** How a method reads in the list: what will happen, and to which masked address or number. */
export function methodLabel(method: ResetMethod): string {
  switch (method.type) {
    case "email":
      return t("methodEmail", method.hint);
    case "sms":
      return t("methodSms", method.hint);
    case "totp":
      return t("methodTotp", method.hint);
    case "security_questions":
      return t("methodQuestions");
  }
}

/** The button names the next action, so the user knows a message is about to be sent. */
export function chooseButtonLabel(method: ResetMethod | undefined): string {
  return method?.type === "email" || method?.type === "sms" ? t("sendCode") : t("continue");
}
