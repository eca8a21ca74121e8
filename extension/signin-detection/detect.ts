import { classify } from "./classify.js";
import { openRoots, takeSnapshot, type Root } from "./snapshot.js";
import type { PageSnapshot, SignInKind, SnapshotRefs } from "./types.js";

export interface Detection {
  kind: SignInKind;
  /** Indices into `snapshot.fields` / `elements`; null when absent. */
  usernameIndex: number | null;
  passwordIndex: number | null;
  groupIndex: number | null;
  username: HTMLInputElement | null;
  password: HTMLInputElement | null;
  /** The <form> or form-less container of the detected fields. */
  group: Element | null;
  /** Parallel to `snapshot.fields`. */
  elements: Element[];
  snapshot: PageSnapshot;
  refs: SnapshotRefs;
  /** This call's own time (snapshot + classify), from performance.now(). */
  ms: number;
}

/** Above this score a sign-in form in the page's own DOM is clear enough not to look inside shadow roots. */
const CLEAR_SIGNIN = 3;

/**
 * snapshot → classify. Reads the DOM, changes nothing. With `roots` (the document first, then the
 * shadow roots the caller knows, see shadow-search.ts) it reads exactly those; without, it searches
 * the whole document for open shadow roots unless its own DOM holds a clear sign-in form.
 */
export function detectSignIn(root: Document, roots?: Root[]): Detection {
  const t0 = performance.now();
  let { snapshot, refs } = takeSnapshot(root, roots ?? [root]);
  let c = classify(snapshot);
  if (!roots && (c.kind !== "signin" || c.score < CLEAR_SIGNIN)) {
    const roots = openRoots(root);
    if (roots.length > 1) {
      ({ snapshot, refs } = takeSnapshot(root, roots));
      c = classify(snapshot);
    }
  }
  const ms = performance.now() - t0;
  const at = (i: number | null) => (i === null ? null : (refs.fields[i] as HTMLInputElement));
  return {
    kind: c.kind,
    usernameIndex: c.username,
    passwordIndex: c.password,
    groupIndex: c.group,
    username: at(c.username),
    password: at(c.password),
    group: c.group === null ? null : refs.groups[c.group]!,
    elements: refs.fields,
    snapshot,
    refs,
    ms,
  };
}
