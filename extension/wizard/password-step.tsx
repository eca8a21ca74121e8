import { useMemo, useState } from "preact/hooks";
import type { PublicConfig } from "../../shared/api/config.js";
import { evaluatePasswordRules, type CommonCheck } from "../../shared/password/evaluate.js";
import type { PasswordRule } from "../../shared/password/rules.js";
import { passwordRuleSummary } from "../../shared/password/summary.js";
import type { PasswordPolicy } from "../../shared/policy/schema.js";
import { t } from "../i18n.js";
import { LinkButton, PrimaryButton } from "../ui/buttons.js";
import { PasswordField } from "../ui/password-field.js";
import { RuleChecklist } from "../ui/rule-checklist.js";
import { StepFrame } from "../ui/step-frame.js";
import { loadCommonPasswords, useCommonPasswords } from "./common-passwords.js";
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
  const isCommon = useCommonPasswords(policy.blockCommonPasswords);
  const hits = useMemo(() => evaluatePasswordRules(password, policy, context, isCommon), [password, policy, username, isCommon]);
  // Until the list has loaded, "common" is neither ticked nor crossed: the checklist says it is being checked.
  const pending: PasswordRule[] = policy.blockCommonPasswords && !isCommon ? ["common"] : [];

  const submit = async (e: Event) => {
    e.preventDefault();
    if (base.busy) return;
    // A submit that beats the list (it loads in well under a second) waits for it rather than
    // sending a password the checklist has not cleared; if it cannot load, the worker checks the same list.
    let check: CommonCheck | null = isCommon;
    if (pending.length) check = await loadCommonPasswords().catch(() => null);
    const failed = check === isCommon ? hits : evaluatePasswordRules(password, policy, context, check);
    if (!password || failed.length > 0) return setLocal({ message: t("errorPasswordRules") });
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
        <RuleChecklist id="password-rules" rules={rules} hits={hits} pending={pending} started={password.length > 0} />
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
