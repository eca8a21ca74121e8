import type { Method } from "../../shared/api/users.js";
import { shownHint } from "../../shared/method-hint.js";
import { t } from "../i18n.js";
import { MethodIcon, methodName, typeLabel } from "./method-icon.js";

interface Props {
  method: Method;
  busy: boolean;
  onVerify: (m: Method) => void;
  onRemove: (m: Method) => void;
}

/** Pending questions are answers the policy no longer asks enough of (the worker's question-status.ts), not an unverified address. */
function statusText(method: Method): string {
  if (method.type === "security_questions") return method.status === "pending" ? t("regStatusAnswerAgain") : t("regStatusAnswered");
  return method.status === "pending" ? t("regStatusPending") : t("regStatusActive");
}

/** One registered method: icon, type in words, masked hint, status; verify (pending email/phone) and remove. */
export function MethodRow({ method, busy, onVerify, onRemove }: Props) {
  const name = methodName(method);
  const hint = shownHint(method);
  const pending = method.status === "pending";
  const canResend = pending && (method.type === "email" || method.type === "sms");
  return (
    <li class="method-row">
      <MethodIcon type={method.type} />
      <div class="method-text">
        <span class="method-type">{typeLabel(method.type)}</span>
        {hint && <span class="method-hint">{hint}</span>}
        <span class={pending ? "method-status pending" : "method-status active"}>
          <span aria-hidden="true">{pending ? "! " : "✓ "}</span>
          {statusText(method)}
        </span>
      </div>
      <div class="method-actions">
        {canResend && (
          <button type="button" class="secondary" aria-label={t("regVerifyLabel", name)} aria-disabled={busy ? "true" : undefined} onClick={() => !busy && onVerify(method)}>
            {t("verify")}
          </button>
        )}
        <button type="button" class="secondary" aria-label={t("regRemoveLabel", name)} aria-disabled={busy ? "true" : undefined} onClick={() => !busy && onRemove(method)}>
          {t("regRemove")}
        </button>
      </div>
    </li>
  );
}
