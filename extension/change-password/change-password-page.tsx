import { useEffect, useMemo } from "preact/hooks";
import { t } from "../i18n.js";
import { PrimaryButton } from "../ui/buttons.js";
import { StepFrame } from "../ui/step-frame.js";
import { describeError } from "../wizard/errors.js";
import type { ChangePasswordClient } from "./change-client.js";
import { ChangeForm } from "./change-form.js";
import { useChangePassword } from "./use-change-password.js";

/**
 * The change-password page (issue 15): in the extension from the sign-in prompt or the popup, and on
 * the worker's web pages; renders the current screen.
 */
export function ChangePasswordPage({ client }: { client: ChangePasswordClient }) {
  const p = useChangePassword(client);
  useEffect(() => void p.load(), []);
  const error = useMemo(() => (p.error ? describeError(p.error) : null), [p.error]);
  const { screen } = p;
  switch (screen.name) {
    case "loading":
      return (
        <p class="loading" role="status" aria-busy="true">
          {t("loading")}
        </p>
      );
    case "problem":
      return (
        <StepFrame orgName={t("extName")} progress={null} helpdesk={null} title={t("problemNetworkTitle")} error={describeError(screen.error)}>
          <PrimaryButton busy={p.busy} onClick={() => void p.load()}>
            {t("tryAgain")}
          </PrimaryButton>
        </StepFrame>
      );
    case "done":
      return (
        <StepFrame orgName={screen.view.config.orgName} progress={null} helpdesk={null} title={t("doneTitle")} showHelpdesk={false}>
          <p class="success-mark" aria-hidden="true">
            ✓
          </p>
          <p>{t("changeDoneBody")}</p>
          <p>{t("changeDoneSignedOut")}</p>
          <PrimaryButton busy={false} onClick={() => void p.close()}>
            {t("close")}
          </PrimaryButton>
        </StepFrame>
      );
    case "form":
      return <ChangeForm key={screen.view.account ? "session" : "signed-out"} view={screen.view} error={error} attempt={p.attempt} busy={p.busy} onSubmit={(r) => void p.change(r)} />;
  }
}
