import { useEffect, useRef, useState } from "preact/hooks";
import { t } from "../i18n.js";
import { PrimaryButton } from "../ui/buttons.js";
import { NewPasswordField } from "../ui/new-password-field.js";
import { PasswordField } from "../ui/password-field.js";
import { StepFrame } from "../ui/step-frame.js";
import { useNewPassword } from "../ui/use-new-password.js";
import type { ErrorView } from "../wizard/errors.js";
import type { ChangePasswordRequest, ChangePasswordView } from "./view.js";

interface Props {
  view: ChangePasswordView;
  error: ErrorView | null;
  /** Bumped on each refusal: a wrong current password empties that field. */
  attempt: number;
  busy: boolean;
  onSubmit: (request: ChangePasswordRequest) => void;
}

function titleAndLead({ account }: ChangePasswordView): [string, string] {
  if (account?.reason === "temporary") return [t("changeTemporaryTitle"), t("changeTemporaryLead")];
  if (account?.reason === "expired") return [t("changeExpiredTitle"), t("changeExpiredLead")];
  return [t("changeTitle"), account ? t("changeLead") : t("changeSignedOutLead")];
}

/** Current password, new password with the live rule checklist (spec §10), one button. */
export function ChangeForm({ view, error, attempt, busy, onSubmit }: Props) {
  const { account, config } = view;
  const [username, setUsername] = useState("");
  const [current, setCurrent] = useState("");
  const [local, setLocal] = useState<ErrorView | null>(null);
  const password = useNewPassword(config, account?.username ?? username.trim());
  const currentRef = useRef<HTMLInputElement>(null);
  const [title, lead] = titleAndLead(view);

  useEffect(() => {
    if (error?.about !== "current") return;
    setCurrent("");
    currentRef.current?.focus();
  }, [attempt]);

  const submit = async (e: Event) => {
    e.preventDefault();
    if (busy) return;
    if (!account && !username.trim()) return setLocal({ message: t("errorUsernameEmpty") });
    if (!current) return setLocal({ message: t("errorCurrentEmpty"), about: "current" });
    if (!(await password.passes())) return setLocal({ message: t("errorPasswordRules"), about: "password" });
    // The worker refuses it too; saying so here saves a round trip and a counted attempt.
    if (password.value === current) return setLocal({ message: t("errorSamePassword"), about: "password" });
    setLocal(null);
    onSubmit({ ...(account ? {} : { username: username.trim() }), currentPassword: current, newPassword: password.value });
  };
  const shown = local ?? error;
  return (
    <StepFrame orgName={config.orgName} progress={null} helpdesk={config.helpdesk} title={title} error={shown}>
      <form onSubmit={submit} noValidate>
        <p class="lead">{lead}</p>
        {account ? (
          <p class="hint">{t("changeSignedInAs", account.username)}</p>
        ) : (
          <>
            <label for="username">{t("usernameLabel")}</label>
            <input
              id="username"
              type="text"
              autoComplete="username"
              autocapitalize="none"
              spellcheck={false}
              value={username}
              aria-invalid={shown?.message === t("errorUsernameEmpty") ? "true" : undefined}
              onInput={(e) => setUsername(e.currentTarget.value)}
            />
          </>
        )}
        <label for="current-password">{account?.reason === "temporary" ? t("changeTemporaryLabel") : t("changeCurrentLabel")}</label>
        <PasswordField id="current-password" inputRef={currentRef} value={current} onInput={setCurrent} autoComplete="current-password" invalid={shown?.about === "current"} />
        <NewPasswordField id="new-password" rulesId="new-password-rules" label={t("passwordLabel")} password={password} invalid={shown?.about === "password"} />
        <PrimaryButton busy={busy}>{t("changePassword")}</PrimaryButton>
      </form>
    </StepFrame>
  );
}
