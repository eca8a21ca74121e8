import { useEffect, useMemo } from "preact/hooks";
import { browser } from "wxt/browser";
import { t } from "../i18n.js";
import { ChooseStep } from "./choose-step.js";
import { CodeStep } from "./code-step.js";
import { DoneStep } from "./done-step.js";
import { describeError } from "./errors.js";
import { PasswordStep } from "./password-step.js";
import { ProblemStep } from "./problem-step.js";
import { QuestionsStep } from "./questions-step.js";
import { SetupStep } from "./setup-step.js";
import { progress } from "./state.js";
import type { StepBase } from "./step-props.js";
import { UnavailableStep } from "./unavailable-step.js";
import { UnlockStep } from "./unlock-step.js";
import { UsernameStep } from "./username-step.js";
import { useWizard } from "./use-wizard.js";

const openSettings = () => void browser.runtime.openOptionsPage();
const closePopup = () => window.close();
/** The change-password page, in a tab of its own: the popup closes as soon as focus leaves it. */
const openChangePassword = () => void browser.tabs.create({ url: browser.runtime.getURL("/change-password.html") }).then(closePopup);

/** The toolbar popup: renders the current step of the reset and wires its actions (spec §5 Reset). */
export function Wizard() {
  const w = useWizard();
  useEffect(() => void w.load(), []);
  // Memoised so a step can react to a new error (clear and refocus) without reacting to every render.
  const error = useMemo(() => (w.error ? describeError(w.error.error, w.error.context) : null), [w.error]);

  const { step, config } = w;
  const base: StepBase = {
    frame: {
      orgName: config?.orgName ?? w.settings?.managedOrgName ?? t("extName"),
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
      return <SetupStep key={key} base={base} onOpenSettings={openSettings} />;
    case "username":
      return (
        <UsernameStep
          key={key}
          base={base}
          initial={w.username}
          initialPurpose={w.purpose}
          allowUnlock={config?.selfServiceReset.allowUnlock ?? true}
          onSubmit={(u, why) => void w.start(u, why)}
          onChangePassword={openChangePassword}
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
      return <DoneStep key={key} base={base} onClose={closePopup} />;
    case "unlocked":
      return <DoneStep key={key} base={base} unlocked onClose={closePopup} />;
    case "problem":
      return (
        <ProblemStep
          key={key}
          base={base}
          error={step.error}
          onStartOver={() => void w.restart()}
          onRetry={() => void w.load()}
          onClose={closePopup}
          onOpenSettings={openSettings}
        />
      );
  }
}
