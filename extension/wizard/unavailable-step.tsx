import { t } from "../i18n.js";
import { PrimaryButton } from "../ui/buttons.js";
import { HelpdeskLink } from "../ui/helpdesk-link.js";
import { StepFrame } from "../ui/step-frame.js";
import type { Helpdesk } from "./state.js";
import type { StepBase } from "./step-props.js";

/**
 * One message for an unknown name, a disabled account, a user not enabled and a user without
 * methods (spec §5): the popup must not tell an attacker which of these it was.
 */
export function UnavailableStep({ base, helpdesk, onRetry }: { base: StepBase; helpdesk: Helpdesk; onRetry: () => void }) {
  return (
    <StepFrame {...base.frame} progress={null} title={t("unavailableTitle")} error={base.error} info={base.info} showHelpdesk={false}>
      <p>{t("unavailableBody")}</p>
      <p class="callout">
        <HelpdeskLink helpdesk={helpdesk} />
      </p>
      <PrimaryButton busy={base.busy} onClick={onRetry}>
        {t("tryAnotherUsername")}
      </PrimaryButton>
    </StepFrame>
  );
}
