import { useState } from "preact/hooks";
import { t } from "../i18n.js";
import { PrimaryButton } from "../ui/buttons.js";
import { StepFrame } from "../ui/step-frame.js";
import { BackRow } from "./back-row.js";
import type { ScreenBase } from "./screen-props.js";

/** Before the secret is made: which app this is, so several can be told apart later (optional). */
export function TotpStartScreen({ base, onSubmit, onBack }: { base: ScreenBase; onSubmit: (label: string | undefined) => void; onBack: () => void }) {
  const [label, setLabel] = useState("");
  const submit = (e: Event) => {
    e.preventDefault();
    if (!base.busy) onSubmit(label.trim().slice(0, 64) || undefined);
  };
  return (
    <StepFrame {...base.frame} title={t("regTotpTitle")} error={base.error} info={base.info}>
      <form onSubmit={submit} noValidate>
        <p class="lead">{t("regTotpLead")}</p>
        <label for="totp-label">{t("regTotpNameLabel")}</label>
        <p id="totp-label-hint" class="hint">
          {t("regTotpNameHint")}
        </p>
        <input id="totp-label" type="text" autoComplete="off" maxLength={64} value={label} aria-describedby="totp-label-hint" onInput={(e) => setLabel(e.currentTarget.value)} />
        <PrimaryButton busy={base.busy}>{t("continue")}</PrimaryButton>
      </form>
      <BackRow busy={base.busy} onBack={onBack} />
    </StepFrame>
  );
}
