/**
 * Sign-in page detection (spec §5, §9): snapshot (the only DOM reader) → classify (pure) → the
 * content script acts on the result. `watchSignIn` is what the content script calls.
 */
export { detectSignIn, type Detection } from "./detect.js";
export { watchSignIn, type SignInCredentials, type SignInWatch, type WatchOptions } from "./observe.js";
export { classify } from "./classify.js";
export { fieldKind, type FieldKind } from "./fields.js";
export { takeSnapshot } from "./snapshot.js";
export { resolveSelector, uniqueSelector, SHADOW_SEPARATOR } from "./selectors.js";
export type * from "./types.js";
