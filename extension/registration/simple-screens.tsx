import type { Method } from "../../shared/api/users.js";
import { t } from "../i18n.js";
import type { ClientError, ClientErrorCode } from "../result.js";
import { LinkButton, PrimaryButton } from "../ui/buttons.js";
import { StepFrame } from "../ui/step-frame.js";
import { describeError } from "../wizard/errors.js";
import { methodName } from "./method-icon.js";
import type { ScreenBase } from "./screen-props.js";

/** Removing asks first, and warns when the user would fall short of what the policy needs. */
export function RemoveScreen({ base, method, leavesIncomplete, onRemove, onBack }: { base: ScreenBase; method: Method; leavesIncomplete: boolean; onRemove: () => void; onBack: () => void }) {
  const name = methodName(method);
  return (
    <StepFrame {...base.frame} title={t("regRemoveTitle")} error={base.error} info={base.info}>
      <p class="lead">{t("regRemoveLead", name)}</p>
      {leavesIncomplete && <p class="callout">{t("regRemoveWarning")}</p>}
      <PrimaryButton busy={base.busy} onClick={onRemove}>
        {t("regRemoveConfirm")}
      </PrimaryButton>
      <p class="secondary-actions">
        <LinkButton busy={base.busy} onClick={onBack}>
          {t("regKeep")}
        </LinkButton>
      </p>
    </StepFrame>
  );
}

/** No session for this page (opened by hand, expired, ended by a password reset): back to the sign-in page. */
export function SignedOutScreen({ base, reason, onClose }: { base: ScreenBase; reason: ClientErrorCode | null; onClose: () => void }) {
  return (
    <StepFrame {...base.frame} title={t("regSignedOutTitle")}>
      <p class="lead">{reason === "password_change_required" ? t("regErrorMustChange") : t("regErrorSessionEnded")}</p>
      <PrimaryButton busy={false} onClick={onClose}>
        {t("regClosePage")}
      </PrimaryButton>
    </StepFrame>
  );
}

export function ProblemScreen({ base, error, onRetry }: { base: ScreenBase; error: ClientError; onRetry: () => void }) {
  return (
    <StepFrame {...base.frame} title={error.code === "network" ? t("problemNetworkTitle") : t("problemGenericTitle")} error={describeError(error)}>
      <PrimaryButton busy={base.busy} onClick={onRetry}>
        {t("tryAgain")}
      </PrimaryButton>
    </StepFrame>
  );
}
