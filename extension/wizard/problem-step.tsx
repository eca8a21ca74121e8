import type { ClientError } from "../api-client.js";
import { t, type MessageKey } from "../i18n.js";
import { LinkButton, PrimaryButton } from "../ui/buttons.js";
import { StepFrame } from "../ui/step-frame.js";
import { describeError } from "./errors.js";
import type { StepBase } from "./step-props.js";

interface Props {
  base: StepBase;
  error: ClientError;
  onStartOver: () => void;
  onRetry: () => void;
  onClose: () => void;
  /** Where to check the worker URL (the extension's options); web pages have none. */
  onOpenSettings?: () => void;
}

/** The screens where this reset can't go on; each says why and offers the one sensible next action. */
function titleFor(code: ClientError["code"]): MessageKey {
  switch (code) {
    case "reset_blocked":
      return "problemBlockedTitle";
    case "reset_expired":
    case "unauthorized":
      return "problemExpiredTitle";
    case "reset_completed":
      return "problemCompletedTitle";
    case "network":
      return "problemNetworkTitle";
    case "unlock_not_allowed":
      return "problemUnlockTitle";
    default:
      return "problemGenericTitle";
  }
}

export function ProblemStep({ base, error, onStartOver, onRetry, onClose, onOpenSettings }: Props) {
  const view = describeError(error);
  const unreachable = error.code === "network" || error.code === "bad_response";
  const blocked = error.code === "reset_blocked";
  return (
    <StepFrame {...base.frame} progress={null} title={t(titleFor(error.code))} error={view}>
      {blocked ? (
        <PrimaryButton busy={false} onClick={onClose}>
          {t("close")}
        </PrimaryButton>
      ) : unreachable ? (
        <PrimaryButton busy={base.busy} onClick={onRetry}>
          {t("tryAgain")}
        </PrimaryButton>
      ) : (
        <PrimaryButton busy={base.busy} onClick={onStartOver}>
          {t("startOver")}
        </PrimaryButton>
      )}
      {unreachable && onOpenSettings && (
        <p class="secondary-actions">
          <LinkButton onClick={onOpenSettings}>{t("checkSettings")}</LinkButton>
        </p>
      )}
    </StepFrame>
  );
}
