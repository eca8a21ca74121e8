import { useState } from "preact/hooks";
import { t } from "../i18n.js";
import { PrimaryButton } from "../ui/buttons.js";
import { StepFrame } from "../ui/step-frame.js";
import type { ErrorView } from "./errors.js";
import type { StepBase } from "./step-props.js";

/** Step 1: who is resetting. The worker's answer never says whether the name exists (spec §9). */
export function UsernameStep({ base, initial, onSubmit }: { base: StepBase; initial: string; onSubmit: (username: string) => void }) {
  const [value, setValue] = useState(initial);
  const [local, setLocal] = useState<ErrorView | null>(null);
  const submit = (e: Event) => {
    e.preventDefault();
    if (base.busy) return;
    const username = value.trim();
    if (!username) return setLocal({ message: t("errorUsernameEmpty") });
    setLocal(null);
    onSubmit(username);
  };
  const error = local ?? base.error;
  return (
    <StepFrame {...base.frame} title={t("usernameTitle")} error={error} info={base.info}>
      <form onSubmit={submit} noValidate>
        <p class="lead">{t("usernameLead")}</p>
        <label for="username">{t("usernameLabel")}</label>
        <p id="username-hint" class="hint">
          {t("usernameHint")}
        </p>
        <input
          id="username"
          type="text"
          autoComplete="username"
          autocapitalize="none"
          spellcheck={false}
          value={value}
          aria-describedby="username-hint"
          aria-invalid={local ? "true" : undefined}
          onInput={(e) => setValue(e.currentTarget.value)}
        />
        <PrimaryButton busy={base.busy}>{t("continue")}</PrimaryButton>
      </form>
    </StepFrame>
  );
}
