import type { ClientError } from "../result.js";
import { t } from "../i18n.js";
import type { PromptInfo } from "./prompt-info.js";

/** The prompt's words, from the locale files like every other string (spec §10: say what to do next). */

export function titleOf(info: PromptInfo): string {
  switch (info.kind) {
    case "required":
      if (info.moreNeeded === undefined) return t("promptRequiredTitle");
      return info.moreNeeded === 1 ? t("promptAddOneTitle") : t("promptAddManyTitle", info.moreNeeded);
    case "reconfirm":
      return t("promptReconfirmTitle");
    case "change":
      return info.reason === "temporary" ? t("promptTemporaryTitle") : t("promptExpiredTitle");
    case "expiring":
      return info.daysLeft <= 1 ? t("promptExpiringTitleOne") : t("promptExpiringTitleMany", info.daysLeft);
  }
}

export function bodyOf(info: PromptInfo): string {
  switch (info.kind) {
    case "required":
      return t(info.moreNeeded === undefined ? "promptRequiredBody" : "promptAddBody", info.orgName || t("promptYourOrg"));
    case "reconfirm":
      return t("promptReconfirmBody");
    case "change":
      return info.reason === "temporary" ? t("promptTemporaryBody") : t("promptExpiredBody");
    case "expiring":
      return t("promptExpiringBody");
  }
}

/** How many more "Not now"s there are, or that this can't wait any more (registration only). */
export function skipsText(info: PromptInfo, skipsLeft: number): string {
  if (info.kind !== "required") return "";
  if (skipsLeft <= 0) return t("promptNoSkips");
  return skipsLeft === 1 ? t("promptSkipsLeftOne") : t("promptSkipsLeftMany", skipsLeft);
}

export const skippedText = (skipsLeft: number): string =>
  skipsLeft <= 0 ? t("promptSkippedLast") : skipsLeft === 1 ? t("promptSkippedOne") : t("promptSkippedMany", skipsLeft);

export function promptError(error: ClientError): string {
  switch (error.code) {
    case "unauthorized":
      return t("promptErrorSession");
    case "no_skips_left":
      return t("promptErrorNoSkips");
    case "network":
    case "not_configured":
      return t("promptErrorNetwork");
    default:
      return t("promptErrorGeneric");
  }
}
