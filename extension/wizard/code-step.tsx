import { formatSeconds, t } from "../i18n.js";
import type { PublicReset } from "../messaging.js";
import type { Challenge } from "../resets-api.js";
import { LinkButton } from "../ui/buttons.js";
import { CodeForm } from "../ui/code-form.js";
import { sentCodeLead } from "../ui/code-lead.js";
import { StepFrame } from "../ui/step-frame.js";
import { useCodeEntry } from "../ui/use-code-entry.js";
import { useSecondsUntil, withoutPastWait } from "../ui/use-seconds-until.js";
import { appNumber } from "./method-label.js";
import { codeLength, type ResetMethod } from "./state.js";
import type { StepBase } from "./step-props.js";

interface Props {
  base: StepBase;
  reset: PublicReset;
  method: ResetMethod;
  challenge: Challenge | null;
  /** Until when the worker refuses a resend (Retry-After): the link counts down and waits. */
  resendAt: number | null;
  onVerify: (code: string) => void;
  onResend: () => void;
  onBack: () => void;
}

function lead(method: ResetMethod, challenge: Challenge | null): string {
  if (method.type !== "totp") return sentCodeLead(method, challenge?.expiresAt);
  const number = appNumber(method);
  return number ? t("codeLeadTotpNumbered", number) : t("codeLeadTotp");
}

/** Enter the code that was sent (8 digits) or that the authenticator app shows (6 digits). */
export function CodeStep({ base, method, challenge, resendAt, onVerify, onResend, onBack }: Props) {
  const wait = useSecondsUntil(resendAt);
  const length = codeLength(method.type);
  const entry = useCodeEntry({ length, base, onVerify });
  const sent = method.type === "email" || method.type === "sms";
  const title = method.type === "totp" ? t("codeTitleTotp") : method.type === "sms" ? t("codeTitleSms") : t("codeTitleEmail");
  return (
    <StepFrame {...base.frame} title={title} error={withoutPastWait(entry.error, resendAt, wait)} info={base.info}>
      <CodeForm entry={entry} label={t("codeLabel")} busy={base.busy}>
        <p class="lead">{lead(method, challenge)}</p>
      </CodeForm>
      <p class="secondary-actions">
        {sent && (
          <LinkButton busy={base.busy || wait > 0} onClick={onResend}>
            {wait > 0 ? t("sendNewCodeIn", formatSeconds(wait)) : t("sendNewCode")}
          </LinkButton>
        )}
        <LinkButton busy={base.busy} onClick={onBack}>
          {t("useAnotherMethod")}
        </LinkButton>
      </p>
    </StepFrame>
  );
}
