import { useLayoutEffect, useRef, useState } from "preact/hooks";
import { t } from "../i18n.js";
import type { PublicReset } from "../messaging.js";
import type { Challenge } from "../resets-api.js";
import { LinkButton, PrimaryButton } from "../ui/buttons.js";
import { CodeInput } from "../ui/code-input.js";
import { StepFrame } from "../ui/step-frame.js";
import type { ErrorView } from "./errors.js";
import { codeLength, type ResetMethod } from "./state.js";
import type { StepBase } from "./step-props.js";

interface Props {
  base: StepBase;
  reset: PublicReset;
  method: ResetMethod;
  challenge: Challenge | null;
  onVerify: (code: string) => void;
  onResend: () => void;
  onBack: () => void;
}

const minutesUntil = (iso: string | undefined): number | null => {
  const ms = iso ? Date.parse(iso) - Date.now() : NaN;
  return Number.isFinite(ms) && ms > 0 ? Math.ceil(ms / 60_000) : null;
};

function lead(method: ResetMethod, challenge: Challenge | null): string {
  if (method.type === "totp") return t("codeLeadTotp", method.hint);
  const minutes = minutesUntil(challenge?.expiresAt);
  const sent = method.type === "sms" ? t("codeLeadSms", method.hint) : t("codeLeadEmail", method.hint);
  return minutes ? `${sent} ${t("codeValidFor", minutes)}` : sent;
}

/** Enter the code that was sent (8 digits) or that the authenticator app shows (6 digits). */
export function CodeStep({ base, method, challenge, onVerify, onResend, onBack }: Props) {
  const length = codeLength(method.type);
  const [code, setCode] = useState("");
  const [local, setLocal] = useState<ErrorView | null>(null);
  const inputRef = useRef<HTMLInputElement>(null);
  const sent = method.type === "email" || method.type === "sms";

  // After a wrong or expired code, start the next attempt from an empty, focused field — in the same
  // render (layout effect), so a code typed right after the error appears is never wiped by a late clear.
  useLayoutEffect(() => {
    if (base.error?.about !== "code") return;
    setCode("");
    inputRef.current?.focus();
  }, [base.error]);

  const submit = (e: Event) => {
    e.preventDefault();
    if (base.busy) return;
    if (code.length !== length) return setLocal({ message: t("errorCodeLength", length) });
    setLocal(null);
    onVerify(code);
  };
  const error = local ?? base.error;
  const title = method.type === "totp" ? t("codeTitleTotp") : method.type === "sms" ? t("codeTitleSms") : t("codeTitleEmail");
  return (
    <StepFrame {...base.frame} title={title} error={error} info={base.info}>
      <form onSubmit={submit} noValidate>
        <p class="lead">{lead(method, challenge)}</p>
        <label for="code">{t("codeLabel")}</label>
        <p id="code-hint" class="hint">
          {t("codeHint", length)}
        </p>
        <CodeInput id="code" length={length} value={code} onChange={setCode} describedBy="code-hint" invalid={!!local || base.error?.about === "code"} inputRef={inputRef} />
        <PrimaryButton busy={base.busy}>{t("verify")}</PrimaryButton>
      </form>
      <p class="secondary-actions">
        {sent && (
          <LinkButton busy={base.busy} onClick={onResend}>
            {t("sendNewCode")}
          </LinkButton>
        )}
        <LinkButton busy={base.busy} onClick={onBack}>
          {t("useAnotherMethod")}
        </LinkButton>
      </p>
    </StepFrame>
  );
}
