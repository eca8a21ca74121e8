import { t } from "../i18n.js";
import { need } from "./state.js";
import type { RegistrationView } from "./view.js";

/** The overview's one-line status: done, or exactly what the policy still needs (spec §3, §4). */
export function needsText(view: RegistrationView): string {
  const n = need(view.registration, view.available);
  if (n.kind === "none") return t("regNeedNone");
  if (n.kind === "strong") return t("regNeedStrong");
  if (view.user.admin) return n.count === 1 ? t("regNeedAdminOne") : t("regNeedAdminMany", n.count);
  if (n.count === 1) return n.distinct ? t("regNeedOneMore") : t("regNeedOne");
  return t("regNeedMany", n.count);
}
