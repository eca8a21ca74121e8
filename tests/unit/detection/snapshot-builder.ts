import type { FieldSnapshot, GroupSnapshot, PageSnapshot } from "../../../extension/signin-detection/index.js";

/** Hand-built snapshots for the pure classify tests: only what a case is about, the rest defaulted. */
export function field(over: Partial<FieldSnapshot>): FieldSnapshot {
  return {
    group: 0, tag: "input", type: "text", name: "", id: "", autocomplete: "", placeholder: "", ariaLabel: "", label: "",
    maxLength: -1, inputMode: "", visible: true, disabled: false, readOnly: false, tabIndex: 0, ignored: false,
    ...over,
  };
}

export function group(over: Partial<GroupSnapshot> = {}): GroupSnapshot {
  return { form: true, attrs: "", heading: "", buttons: [], text: "", ignored: false, ...over };
}

export const submit = (text: string) => ({ text, submit: true });

export function page(fields: FieldSnapshot[], groups: GroupSnapshot[] = [group()], title = ""): PageSnapshot {
  return { title, fields, groups };
}
