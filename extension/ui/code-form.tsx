import type { ComponentChildren } from "preact";
import { t } from "../i18n.js";
import { PrimaryButton } from "./buttons.js";
import { CodeInput } from "./code-input.js";
import type { CodeEntry } from "./use-code-entry.js";

interface Props {
  /** The screen's useCodeEntry: value, length, check and refocus. */
  entry: CodeEntry;
  label: string;
  busy: boolean;
  /** What stands above the field, e.g. where the code was sent. */
  children?: ComponentChildren;
}

/** The form of every code screen (wizard and registration): the same field, hint and button everywhere. */
export function CodeForm({ entry, label, busy, children }: Props) {
  const { length } = entry;
  return (
    <form onSubmit={entry.submit} noValidate>
      {children}
      <label for="code">{label}</label>
      <p id="code-hint" class="hint">
        {t("codeHint", length)}
      </p>
      <CodeInput id="code" length={length} value={entry.code} onChange={entry.setCode} describedBy="code-hint" invalid={entry.invalid} inputRef={entry.inputRef} />
      <PrimaryButton busy={busy}>{t("verify")}</PrimaryButton>
    </form>
  );
}
