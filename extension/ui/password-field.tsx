import type { Ref } from "preact";
import { useState } from "preact/hooks";
import { t } from "../i18n.js";

interface Props {
  id: string;
  value: string;
  onInput: (value: string) => void;
  describedBy?: string;
  invalid?: boolean;
  inputRef?: Ref<HTMLInputElement>;
  /** "current-password" where the user proves a password they have, so managers fill it. */
  autoComplete?: "new-password" | "current-password";
}

/** Password input with show/hide (spec §10): seeing what was typed replaces a "confirm" field. */
export function PasswordField({ id, value, onInput, describedBy, invalid, inputRef, autoComplete = "new-password" }: Props) {
  const [shown, setShown] = useState(false);
  const field = {
    id,
    ref: inputRef,
    autoComplete,
    autocapitalize: "none" as const,
    spellcheck: false,
    value,
    "aria-describedby": describedBy,
    "aria-invalid": invalid ? ("true" as const) : undefined,
    onInput: (e: { currentTarget: HTMLInputElement }) => onInput(e.currentTarget.value),
  };
  return (
    <div class="password-row">
      {/* Same element either way, so Preact only flips the type and the caret stays put. */}
      {shown ? <input type="text" {...field} /> : <input type="password" {...field} />}
      <button
        type="button"
        class="secondary toggle"
        aria-controls={id}
        aria-label={shown ? t("hidePasswordLabel") : t("showPasswordLabel")}
        onClick={() => setShown(!shown)}
      >
        {shown ? t("hidePassword") : t("showPassword")}
      </button>
    </div>
  );
}
