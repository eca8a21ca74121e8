import { t } from "../i18n.js";
import { PrimaryButton } from "../ui/buttons.js";
import { StepFrame } from "../ui/step-frame.js";
import type { StepBase } from "./step-props.js";

/** The end: the password is changed and every other session was signed out (spec §5). */
export function DoneStep({ base, onClose }: { base: StepBase; onClose: () => void }) {
  return (
    <StepFrame {...base.frame} progress={null} title={t("doneTitle")} showHelpdesk={false}>
      <p class="success-mark" aria-hidden="true">
        ✓
      </p>
      <p>{t("doneBody")}</p>
      <p>{t("doneSignedOut")}</p>
      <PrimaryButton busy={false} onClick={onClose}>
        {t("close")}
      </PrimaryButton>
    </StepFrame>
  );
}
