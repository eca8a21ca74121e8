/**
 * The plain, serialisable picture of a page that `snapshot` reads and `classify` judges.
 * No DOM references here: the element refs travel beside it in `SnapshotRefs`, index for index.
 */

export interface FieldSnapshot {
  /** Index into `PageSnapshot.groups`. */
  group: number;
  tag: "input" | "select" | "textarea";
  /** Lower-cased input type ("text" when absent); "select" / "textarea" for those tags. */
  type: string;
  name: string;
  id: string;
  /** The raw `autocomplete` attribute, lower-cased (tokens separated by spaces). */
  autocomplete: string;
  placeholder: string;
  ariaLabel: string;
  /** Associated <label>s, aria-labelledby text, or the short text just before the field. */
  label: string;
  /** -1 when absent. */
  maxLength: number;
  inputMode: string;
  visible: boolean;
  disabled: boolean;
  readOnly: boolean;
  tabIndex: number;
  /** A site opt-out (data-1p-ignore, data-lpignore="true", data-bwignore, data-form-type="other") on the field or an ancestor. */
  ignored: boolean;
}

export interface ButtonSnapshot {
  text: string;
  /** A submit button of a <form> (button without type, type=submit, input submit/image). */
  submit: boolean;
}

export interface GroupSnapshot {
  /** A <form>, or a form-less container around inputs (the nearest ancestor holding a real button). */
  form: boolean;
  /** action, id, name, class, aria-label, data-form-type: site vocabulary such as "login-form". */
  attrs: string;
  /** The closest heading before or inside the group, plus the label of an enclosing dialog. */
  heading: string;
  buttons: ButtonSnapshot[];
  /** The group's own text (links, hints, checkbox labels), whitespace-collapsed and capped. */
  text: string;
  ignored: boolean;
}

export interface PageSnapshot {
  title: string;
  fields: FieldSnapshot[];
  groups: GroupSnapshot[];
}

export interface SnapshotRefs {
  fields: Element[];
  groups: Element[];
  buttons: Element[][];
  /** Every open shadow root walked, so an observer can watch inside them too. */
  shadowRoots: ShadowRoot[];
}

export type SignInKind = "signin" | "signin-username-only" | "none";

/** What `classify` decides: indices into the snapshot's fields and groups. */
export interface Classification {
  kind: SignInKind;
  group: number | null;
  username: number | null;
  password: number | null;
  score: number;
}
