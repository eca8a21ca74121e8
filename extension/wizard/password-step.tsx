import { useMemo, useState } from "preact/hooks";
import type { PublicConfig } from "../../shared/api/config.js";
import { evaluatePassword, passwordRuleSummary } from "../../shared/password/index.js";
import type { PasswordPolicy } from "../../shared/policy/schema.js";
import { t } from "../i18n.js";
import { LinkButton, PrimaryButton } from "../ui/buttons.js";
import { PasswordField } from "../ui/password-field.js";
import { RuleChecklist } from "../ui/rule-checklist.js";
import { StepFrame } from "../ui/step-frame.js";
import type { ErrorView } from "./errors.js";
import type { StepBase } from "./step-props.js";

interface Props {
  base: StepBase;
  config: PublicConfig;
  username: string;
  onSubmit: (password: string) => void;
  onStartOver: () => void;
}

/** The public config hides the banned words, so the live check runs without them; the worker still enforces them. */
const livePolicy = (config: PublicConfig): PasswordPolicy => ({ ...config.passwordPolicy, bannedWords: [] });

/** The new password, checked against the shared rules on every keystroke (spec §4 "one shared module"). */
export function PasswordStep({ base, config, username, onSubmit, onStartOver }: Props) {
  const [password, setPassword] = useState("");
  const [local, setLocal] = useState<ErrorView | null>(null);
  const policy = useMemo(() => livePolicy(config), [config]);
  const rules = useMemo(() => passwordRuleSummary(policy), [policy]);
  const context = { username, orgName: config.orgName };
  const hits = useMemo(() => evaluatePassword(password, policy, context), [password, policy, username]);

  const submit = (e: Event) => {
    e.preventDefault();
    if (base.busy) return;
    if (!password || hits.length > 0) return setLocal({ message: t("errorPasswordRules") });
    setLocal(null);
    onSubmit(password);
  };
  const error = local ?? base.error;
  return (
    <StepFrame {...base.frame} title={t("passwordTitle")} error={error} info={base.info}>
      <form onSubmit={submit} noValidate>
        <p class="lead">{t("passwordLead")}</p>
        <label for="new-password">{t("passwordLabel")}</label>
        <PasswordField id="new-password" value={password} onInput={setPassword} describedBy="password-rules" invalid={!!local || base.error?.about === "password"} />
        <RuleChecklist id="password-rules" rules={rules} hits={hits} started={password.length > 0} />
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
