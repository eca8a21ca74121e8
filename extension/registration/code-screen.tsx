import type { Method } from "../../shared/api/users.js";
import { formatSeconds, t } from "../i18n.js";
import { LinkButton } from "../ui/buttons.js";
import { CodeForm } from "../ui/code-form.js";
import { sentCodeLead } from "../ui/code-lead.js";
import { StepFrame } from "../ui/step-frame.js";
import { useCodeEntry } from "../ui/use-code-entry.js";
import { codeLength } from "../wizard/state.js";
import type { ScreenBase } from "./screen-props.js";
import { useSecondsUntil, withoutPastWait } from "../ui/use-seconds-until.js";

interface Props {
  base: ScreenBase;
  method: Method;
  expiresAt: string | null;
  /** Until when the worker refuses a resend (Retry-After): the button counts down and waits. */
  resendAt: number | null;
  onVerify: (code: string) => void;
  onResend: () => void;
  onBack: () => void;
}

/** The code sent to a new email address or phone: entering it proves the user holds it (spec §3). */
export function CodeScreen({ base, method, expiresAt, resendAt, onVerify, onResend, onBack }: Props) {
  const wait = useSecondsUntil(resendAt);
  const entry = useCodeEntry({ length: codeLength(method.type), base, onVerify });
  const sms = method.type === "sms";
  return (
    <StepFrame {...base.frame} title={sms ? t("codeTitleSms") : t("codeTitleEmail")} error={withoutPastWait(entry.error, resendAt, wait)} info={base.info}>
      <CodeForm entry={entry} label={t("codeLabel")} busy={base.busy}>
        <p class="lead">{sentCodeLead(method, expiresAt)}</p>
      </CodeForm>
      <p class="secondary-actions">
        <LinkButton busy={base.busy || wait > 0} onClick={onResend}>
          {wait > 0 ? t("sendNewCodeIn", formatSeconds(wait)) : t("sendNewCode")}
        </LinkButton>
        <LinkButton busy={base.busy} onClick={onBack}>
          {t("regBack")}
        </LinkButton>
      </p>
    </StepFrame>
  );
}
