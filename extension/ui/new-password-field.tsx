import type { NewPassword } from "./use-new-password.js";
import { PasswordField } from "./password-field.js";
import { RuleChecklist } from "./rule-checklist.js";

/** The new-password input with show/hide and the live rule checklist under it (spec §10). */
export function NewPasswordField(props: { id: string; rulesId: string; label: string; password: NewPassword; invalid: boolean }) {
  const { id, rulesId, label, password, invalid } = props;
  return (
    <>
      <label for={id}>{label}</label>
      <PasswordField id={id} value={password.value} onInput={password.setValue} describedBy={rulesId} invalid={invalid} />
      <RuleChecklist id={rulesId} rules={password.rules} hits={password.hits} pending={password.pending} started={password.value.length > 0} />
    </>
  );
}
