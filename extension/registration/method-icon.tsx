import type { Method } from "../../shared/api/users.js";
import type { MethodType } from "../../shared/policy/method-types.js";
import { shownHint } from "../../shared/method-hint.js";
import { t } from "../i18n.js";

/** Outline icons (currentColor, so they follow the theme); decorative: the type is always also in words. */
const PATHS: Record<MethodType, string> = {
  email: "M3 6h18v12H3z M3 6l9 7 9-7",
  sms: "M8 2h8a2 2 0 0 1 2 2v16a2 2 0 0 1-2 2H8a2 2 0 0 1-2-2V4a2 2 0 0 1 2-2z M11 18h2",
  totp: "M12 2l8 3v6c0 5-3.5 9-8 11-4.5-2-8-6-8-11V5z M9 12l2 2 4-4",
  security_questions: "M12 22a10 10 0 1 0 0-20 10 10 0 0 0 0 20z M9.5 9a2.5 2.5 0 1 1 3.5 2.3c-.6.3-1 .9-1 1.6V14 M12 17.5h.01",
};

export function MethodIcon({ type }: { type: MethodType }) {
  return (
    <svg class="method-icon" viewBox="0 0 24 24" width="24" height="24" aria-hidden="true" focusable="false">
      <path d={PATHS[type]} fill="none" stroke="currentColor" stroke-width="1.8" stroke-linecap="round" stroke-linejoin="round" />
    </svg>
  );
}

export function typeLabel(type: MethodType): string {
  switch (type) {
    case "email":
      return t("regTypeEmail");
    case "sms":
      return t("regTypeSms");
    case "totp":
      return t("regTypeTotp");
    case "security_questions":
      return t("regTypeQuestions");
  }
}

/** "Email (j•••@e•••.com)", "Authenticator app (Work phone)", "Security questions": for sentences and button names. */
export function methodName(method: Method): string {
  const hint = method.type === "security_questions" ? "" : shownHint(method);
  return hint ? `${typeLabel(method.type)} (${hint})` : typeLabel(method.type);
}
