import { useState } from "preact/hooks";
import type { PublicConfig } from "../../shared/api/config.js";
import { t } from "../i18n.js";
import { LinkButton, PrimaryButton } from "../ui/buttons.js";
import { NewPasswordField } from "../ui/new-password-field.js";
import { StepFrame } from "../ui/step-frame.js";
import { useNewPassword } from "../ui/use-new-password.js";
import type { ErrorView } from "./errors.js";
import type { StepBase } from "./step-props.js";

interface Props {
  base: StepBase;
  config: PublicConfig;
  username: string;
  onSubmit: (password: string) => void;
  onStartOver: () => void;
}

/** The new password, checked against the shared rules on every keystroke (spec §4 "one shared module"). */
export function PasswordStep({ base, config, username, onSubmit, onStartOver }: Props) {
  const password = useNewPassword(config, username);
  const [local, setLocal] = useState<ErrorView | null>(null);
  // The password an error was about: once the user types another, that error no longer describes it.
  const [refused, setRefused] = useState<string | null>(null);

  const submit = async (e: Event) => {
    e.preventDefault();
    if (base.busy) return;
    setRefused(password.value);
    setLocal(null);
    if (!(await password.passes())) return setLocal({ message: t("errorPasswordRules") });
    onSubmit(password.value);
  };
  const stale = refused !== null && password.value !== refused;
  const error = stale ? (base.error?.about === "password" ? null : base.error) : (local ?? base.error);
  const invalid = !stale && (!!local || base.error?.about === "password");
  return (
    <StepFrame {...base.frame} title={t("passwordTitle")} error={error} info={base.info}>
      <form onSubmit={submit} noValidate>
        <p class="lead">{t("passwordLead")}</p>
        <NewPasswordField id="new-password" rulesId="password-rules" label={t("passwordLabel")} password={password} invalid={invalid} />
        <PrimaryButton busy={base.busy}>{t("changePassword")}</PrimaryButton>
      </form>
      <p class="secondary-actions">
        <LinkButton busy={base.busy} onClick={onStartOver}>
          {t("startOver")}
        </LinkButton>
      </p>
    </StepFrame>
  );
}
