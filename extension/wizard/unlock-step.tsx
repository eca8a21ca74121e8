import { t } from "../i18n.js";
import { LinkButton, PrimaryButton } from "../ui/buttons.js";
import { StepFrame } from "../ui/step-frame.js";
import type { StepBase } from "./step-props.js";

/** The unlock's last step: proved, so one press clears the sign-in lockout; the password stays as it is. */
export function UnlockStep({ base, onUnlock, onStartOver }: { base: StepBase; onUnlock: () => void; onStartOver: () => void }) {
  return (
    <StepFrame {...base.frame} title={t("unlockTitle")} error={base.error} info={base.info}>
      <p class="lead">{t("unlockLead")}</p>
      <PrimaryButton busy={base.busy} onClick={onUnlock}>
        {t("unlockButton")}
      </PrimaryButton>
      <p class="secondary-actions">
        <LinkButton busy={base.busy} onClick={onStartOver}>
          {t("startOver")}
        </LinkButton>
      </p>
    </StepFrame>
  );
}
