import { useEffect, useRef, useState } from "preact/hooks";
import { t } from "../i18n.js";
import { LinkButton, PrimaryButton } from "../ui/buttons.js";
import { PasswordField } from "../ui/password-field.js";
import { StepFrame } from "../ui/step-frame.js";
import type { ErrorView } from "../wizard/errors.js";
import type { ScreenBase } from "./screen-props.js";

interface Props {
  base: ScreenBase;
  username: string | null;
  onSubmit: (password: string) => void;
  onCancel: () => void;
}

/**
 * "Confirm it's you" (issue 11): the worker lets a session change recovery methods only for 10 minutes
 * after the password was proved. A calm step, not an error: the user did nothing wrong.
 */
export function ReauthScreen({ base, username, onSubmit, onCancel }: Props) {
  const [password, setPassword] = useState("");
  const [local, setLocal] = useState<ErrorView | null>(null);
  const input = useRef<HTMLInputElement>(null);
  const error = local ?? base.error;
  // A wrong password: empty the field and put the caret back, ready for the next try.
  useEffect(() => {
    if (base.error?.about !== "password") return;
    setPassword("");
    input.current?.focus();
  }, [base.error]);

  const submit = (e: Event) => {
    e.preventDefault();
    if (base.busy) return;
    if (!password) return setLocal({ message: t("regReauthEmpty"), about: "password" });
    setLocal(null);
    onSubmit(password);
  };
  return (
    <StepFrame {...base.frame} title={t("regReauthTitle")} error={error} info={base.info}>
      <form onSubmit={submit} noValidate>
        <p class="lead">{t("regReauthLead")}</p>
        <label for="reauth-password">{username ? t("regReauthLabel", username) : t("regReauthPlainLabel")}</label>
        <p class="hint" id="reauth-why">
          {t("regReauthWhy")}
        </p>
        <PasswordField id="reauth-password" value={password} onInput={setPassword} autoComplete="current-password" describedBy="reauth-why" invalid={error?.about === "password"} inputRef={input} />
        <PrimaryButton busy={base.busy}>{t("continue")}</PrimaryButton>
      </form>
      <p class="secondary-actions">
        <LinkButton busy={base.busy} onClick={onCancel}>
          {t("regReauthCancel")}
        </LinkButton>
      </p>
    </StepFrame>
  );
}
