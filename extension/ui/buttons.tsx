import type { ComponentChildren } from "preact";
import { t } from "../i18n.js";

/**
 * While a request runs the button says so and ignores presses, but stays focusable: a disabled
 * button would drop keyboard focus to the page body.
 */
export function PrimaryButton({ busy, children, onClick }: { busy: boolean; children: ComponentChildren; onClick?: () => void }) {
  return (
    <button
      type={onClick ? "button" : "submit"}
      class="primary"
      aria-disabled={busy ? "true" : undefined}
      onClick={(e) => {
        if (busy) e.preventDefault();
        else onClick?.();
      }}
    >
      {busy ? t("working") : children}
    </button>
  );
}

/** The quieter actions of a step ("Back", "Send a new code"): real buttons, styled as links. */
export function LinkButton({ children, onClick, busy = false }: { children: ComponentChildren; onClick: () => void; busy?: boolean }) {
  return (
    <button type="button" class="link" aria-disabled={busy ? "true" : undefined} onClick={() => !busy && onClick()}>
      {children}
    </button>
  );
}
