import { useLayoutEffect, useRef, useState } from "preact/hooks";
import type { Method } from "../../shared/api/users.js";
import { t } from "../i18n.js";
import { LinkButton, PrimaryButton } from "../ui/buttons.js";
import { CodeInput } from "../ui/code-input.js";
import { StepFrame } from "../ui/step-frame.js";
import type { ErrorView } from "../wizard/errors.js";
import type { ScreenBase } from "./screen-props.js";
import { useSecondsUntil } from "./use-seconds-until.js";

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

const LENGTH = 8;

const minutesLeft = (iso: string | null): number | null => {
  const ms = iso ? Date.parse(iso) - Date.now() : NaN;
  return Number.isFinite(ms) && ms > 0 ? Math.ceil(ms / 60_000) : null;
};

/** The code sent to a new email address or phone: entering it proves the user holds it (spec §3). */
export function CodeScreen({ base, method, expiresAt, resendAt, onVerify, onResend, onBack }: Props) {
  const wait = useSecondsUntil(resendAt);
  const [code, setCode] = useState("");
  const [local, setLocal] = useState<ErrorView | null>(null);
  const inputRef = useRef<HTMLInputElement>(null);
  const sms = method.type === "sms";

  // After a wrong or expired code, the next try starts from an empty, focused field.
  useLayoutEffect(() => {
    if (base.error?.about !== "code") return;
    setCode("");
    inputRef.current?.focus();
  }, [base.error]);

  const submit = (e: Event) => {
    e.preventDefault();
    if (base.busy) return;
    if (code.length !== LENGTH) return setLocal({ message: t("errorCodeLength", LENGTH) });
    setLocal(null);
    onVerify(code);
  };
  const minutes = minutesLeft(expiresAt);
  const sent = sms ? t("codeLeadSms", method.hint) : t("codeLeadEmail", method.hint);
  const error = local ?? base.error;
  return (
    <StepFrame {...base.frame} title={sms ? t("codeTitleSms") : t("codeTitleEmail")} error={error} info={base.info}>
      <form onSubmit={submit} noValidate>
        <p class="lead">{minutes ? `${sent} ${t("codeValidFor", minutes)}` : sent}</p>
        <label for="code">{t("codeLabel")}</label>
        <p id="code-hint" class="hint">
          {t("codeHint", LENGTH)}
        </p>
        <CodeInput id="code" length={LENGTH} value={code} onChange={setCode} describedBy="code-hint" invalid={!!local || base.error?.about === "code"} inputRef={inputRef} />
        <PrimaryButton busy={base.busy}>{t("verify")}</PrimaryButton>
      </form>
      <p class="secondary-actions">
        <LinkButton busy={base.busy || wait > 0} onClick={onResend}>
          {wait > 0 ? t("sendNewCodeIn", wait) : t("sendNewCode")}
        </LinkButton>
        <LinkButton busy={base.busy} onClick={onBack}>
          {t("regBack")}
        </LinkButton>
      </p>
    </StepFrame>
  );
}
