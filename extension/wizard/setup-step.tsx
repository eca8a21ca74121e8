import { t } from "../i18n.js";
import { PrimaryButton } from "../ui/buttons.js";
import { StepFrame } from "../ui/step-frame.js";
import type { StepBase } from "./step-props.js";

/** No worker URL from policy, options or build: send the user to the options page. */
export function SetupStep({ base, onOpenSettings }: { base: StepBase; onOpenSettings: () => void }) {
  return (
    <StepFrame {...base.frame} progress={null} title={t("setupTitle")}>
      <p>{t("setupBody")}</p>
      <PrimaryButton busy={false} onClick={onOpenSettings}>
        {t("openSettings")}
      </PrimaryButton>
    </StepFrame>
  );
}
