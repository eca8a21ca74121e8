import { useState } from "preact/hooks";
import { t } from "../i18n.js";
import type { ResetPurpose } from "../resets-api.js";
import { LinkButton, PrimaryButton } from "../ui/buttons.js";
import { StepFrame } from "../ui/step-frame.js";
import type { ErrorView } from "./errors.js";
import type { StepBase } from "./step-props.js";

interface Props {
  base: StepBase;
  initial: string;
  initialPurpose: ResetPurpose;
  /** The policy's `allowUnlock` (GET /v1/config): without it there is only the reset, and no choice to show. */
  allowUnlock: boolean;
  onSubmit: (username: string, purpose: ResetPurpose) => void;
  /** A user who knows their password and only wants a new one: the change-password page. */
  onChangePassword: () => void;
}

const PURPOSES: { value: ResetPurpose; label: "purposeReset" | "purposeUnlock" }[] = [
  { value: "reset", label: "purposeReset" },
  { value: "unlock", label: "purposeUnlock" },
];

/**
 * Step 1: who is resetting, and why (Entra's "I forgot my password" / "I know my password, but still
 * can't sign in"). The worker's answer never says whether the name exists (spec §9).
 */
export function UsernameStep({ base, initial, initialPurpose, allowUnlock, onSubmit, onChangePassword }: Props) {
  const [value, setValue] = useState(initial);
  const [chosen, setPurpose] = useState<ResetPurpose>(initialPurpose);
  const purpose = allowUnlock ? chosen : "reset";
  const [local, setLocal] = useState<ErrorView | null>(null);
  const submit = (e: Event) => {
    e.preventDefault();
    if (base.busy) return;
    const username = value.trim();
    if (!username) return setLocal({ message: t("errorUsernameEmpty") });
    setLocal(null);
    onSubmit(username, purpose);
  };
  const error = local ?? base.error;
  return (
    <StepFrame {...base.frame} title={t("usernameTitle")} error={error} info={base.info}>
      <form onSubmit={submit} noValidate>
        <p class="lead">{allowUnlock ? t("usernameLead") : t("usernameLeadResetOnly")}</p>
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
        {allowUnlock && (
          <fieldset class="methods purposes">
            <legend>{t("purposeLegend")}</legend>
            {PURPOSES.map((p) => (
              <label key={p.value} class={p.value === purpose ? "method selected" : "method"}>
                <input type="radio" name="purpose" value={p.value} checked={p.value === purpose} onChange={() => setPurpose(p.value)} />
                <span>{t(p.label)}</span>
              </label>
            ))}
          </fieldset>
        )}
        <PrimaryButton busy={base.busy}>{t("continue")}</PrimaryButton>
      </form>
      <p class="secondary-actions">
        <LinkButton busy={base.busy} onClick={onChangePassword}>
          {t("changeKnownPassword")}
        </LinkButton>
      </p>
    </StepFrame>
  );
}
