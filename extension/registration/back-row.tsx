import { t } from "../i18n.js";
import { LinkButton } from "../ui/buttons.js";

/** The "Back to your methods" row under a registration screen's form. */
export function BackRow({ busy, onBack }: { busy: boolean; onBack: () => void }) {
  return (
    <p class="secondary-actions">
      <LinkButton busy={busy} onClick={onBack}>
        {t("regBack")}
      </LinkButton>
    </p>
  );
}
