import type { MethodType } from "../../shared/policy/method-types.js";
import { t } from "../i18n.js";

/** Whole minutes left until `iso`, rounded up; null when unknown or already past, so nothing is promised. */
const minutesUntil = (iso: string | null | undefined): number | null => {
  const ms = iso ? Date.parse(iso) - Date.now() : NaN;
  return Number.isFinite(ms) && ms > 0 ? Math.ceil(ms / 60_000) : null;
};

/** The lead of a screen asking for a code sent by email or SMS: where it went and, if known, how long it works. */
export function sentCodeLead(method: { type: MethodType; hint: string }, expiresAt: string | null | undefined): string {
  const sent = method.type === "sms" ? t("codeLeadSms", method.hint) : t("codeLeadEmail", method.hint);
  const minutes = minutesUntil(expiresAt);
  return minutes ? `${sent} ${t("codeValidFor", minutes)}` : sent;
}
