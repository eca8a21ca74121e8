import { useEffect, useMemo } from "preact/hooks";
import { t } from "../i18n.js";
import { ChooseStep } from "./choose-step.js";
import { CodeStep } from "./code-step.js";
import { DoneStep } from "./done-step.js";
import { describeError } from "./errors.js";
import { PasswordStep } from "./password-step.js";
import { ProblemStep } from "./problem-step.js";
import { QuestionsStep } from "./questions-step.js";
import type { ResetsClient, WizardHost } from "./resets-client.js";
import { SetupStep } from "./setup-step.js";
import { progress } from "./state.js";
import type { StepBase } from "./step-props.js";
import { UnavailableStep } from "./unavailable-step.js";
import { UnlockStep } from "./unlock-step.js";
import { UsernameStep } from "./username-step.js";
import { useWizard } from "./use-wizard.js";

/**
 * The reset wizard (spec §5 Reset): renders the current step and wires its actions. The toolbar popup
 * and the worker's web reset page each give it their client and host.
 */
export function Wizard({ client, host }: { client: ResetsClient; host: WizardHost }) {
  const w = useWizard(client);
  useEffect(() => void w.load(), []);
  // Memoised so a step can react to a new error (clear and refocus) without reacting to every render.
  const error = useMemo(() => (w.error ? describeError(w.error.error, w.error.context) : null), [w.error]);

  const { step, config } = w;
  const base: StepBase = {
    frame: {
      orgName: config?.orgName ?? w.managedOrgName ?? t("extName"),
      progress: progress(step),
      helpdesk: config?.helpdesk ?? null,
    },
    error,
    info: w.info,
    busy: w.busy,
  };
  // A new key per screen (and per check) remounts it, which moves focus to its first field.
  const key = "reset" in step ? `${step.name}-${step.reset.verifiedMethodIds.length}` : step.name;

  switch (step.name) {
    case "loading":
      return (
        <p class="loading" role="status" aria-busy="true">
          {t("loading")}
        </p>
      );
    case "setup":
      // Only the extension can lack a worker URL; a web page is served by the worker itself.
      return host.openSettings ? <SetupStep key={key} base={base} onOpenSettings={host.openSettings} /> : null;
    case "username":
      return (
        <UsernameStep
          key={key}
          base={base}
          initial={w.username}
          initialPurpose={w.purpose}
          allowUnlock={config?.selfServiceReset.allowUnlock ?? true}
          onSubmit={(u, why) => void w.start(u, why)}
          onChangePassword={host.openChangePassword}
        />
      );
    case "unavailable":
      return <UnavailableStep key={key} base={base} helpdesk={step.helpdesk} onRetry={() => void w.restart()} />;
    case "choose":
      return <ChooseStep key={key} base={base} reset={step.reset} onChoose={(m) => void w.choose(m)} onStartOver={() => void w.restart()} />;
    case "code":
      return (
        <CodeStep
          key={`${key}-${step.method.id}`}
          base={base}
          reset={step.reset}
          method={step.method}
          challenge={step.challenge}
          resendAt={w.resendAt}
          onVerify={(c) => void w.verifyCode(c)}
          onResend={() => void w.choose(step.method)}
          onBack={w.back}
        />
      );
    case "questions":
      return <QuestionsStep key={key} base={base} challenge={step.challenge} onVerify={(a) => void w.verifyAnswers(a)} onBack={w.back} />;
    case "password":
      return config ? (
        <PasswordStep key={key} base={base} config={config} username={w.username} onSubmit={(p) => void w.changePassword(p)} onStartOver={() => void w.restart()} />
      ) : null;
    case "unlock":
      return <UnlockStep key={key} base={base} onUnlock={() => void w.unlock()} onStartOver={() => void w.restart()} />;
    case "done":
      return <DoneStep key={key} base={base} onClose={host.close} />;
    case "unlocked":
      return <DoneStep key={key} base={base} unlocked onClose={host.close} />;
    case "problem":
      return (
        <ProblemStep
          key={key}
          base={base}
          error={step.error}
          onStartOver={() => void w.restart()}
          onRetry={() => void w.load()}
          onClose={host.close}
          onOpenSettings={host.openSettings}
        />
      );
  }
}
