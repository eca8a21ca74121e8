import type { ClientError } from "../result.js";
import { t } from "../i18n.js";
import type { PromptInfo } from "./prompt-info.js";

/** The prompt's words, from the locale files like every other string (spec §10: say what to do next). */

export const titleOf = (info: PromptInfo): string => (info.kind === "required" ? t("promptRequiredTitle") : t("promptReconfirmTitle"));

export const bodyOf = (info: PromptInfo): string =>
  info.kind === "required" ? t("promptRequiredBody", info.orgName || t("promptYourOrg")) : t("promptReconfirmBody");

/** How many more "Not now"s there are, or that this can't wait any more. */
export function skipsText(info: PromptInfo, skipsLeft: number): string {
  if (info.kind === "reconfirm") return "";
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
