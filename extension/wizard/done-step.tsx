import { t } from "../i18n.js";
import { PrimaryButton } from "../ui/buttons.js";
import { StepFrame } from "../ui/step-frame.js";
import type { StepBase } from "./step-props.js";

/**
 * The end: the password is changed and every other session was signed out (spec §5), or, for an
 * unlock, the account can sign in again with the password the user already knows.
 */
export function DoneStep({ base, unlocked = false, onClose }: { base: StepBase; unlocked?: boolean; onClose: () => void }) {
  return (
    <StepFrame {...base.frame} progress={null} title={unlocked ? t("unlockedTitle") : t("doneTitle")} showHelpdesk={false}>
      <p class="success-mark" aria-hidden="true">
        ✓
      </p>
      <p>{unlocked ? t("unlockedBody") : t("doneBody")}</p>
      {!unlocked && <p>{t("doneSignedOut")}</p>}
      <PrimaryButton busy={false} onClick={onClose}>
        {t("close")}
      </PrimaryButton>
    </StepFrame>
  );
}
