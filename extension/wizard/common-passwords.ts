import { useEffect, useState } from "preact/hooks";
import type { CommonCheck } from "../../shared/password/evaluate.js";

let loading: Promise<CommonCheck> | undefined;
let loaded: CommonCheck | undefined;

/**
 * The common-password list is about 220 KB gzipped, most of the popup's weight, so it is its own
 * chunk, fetched when a password step opens rather than on every popup open (issue 13). The list is
 * folded here too, so the first keystroke after loading does not pay for it.
 */
export function loadCommonPasswords(): Promise<CommonCheck> {
  loading ??= import("../../shared/password/common-passwords.js").then(({ isCommonFolded }) => {
    isCommonFolded("");
    return (loaded = isCommonFolded);
  });
  // A failed load (an extension update replaced the chunk) may be tried again on the next call.
  loading.catch(() => (loading = undefined));
  return loading;
}

/** The list check once loaded; null while loading, or when the policy does not block common passwords. */
export function useCommonPasswords(needed: boolean): CommonCheck | null {
  // A later password step in the same popup starts with the list already there: no "checking" flash.
  const [check, setCheck] = useState<CommonCheck | null>(() => loaded ?? null);
  useEffect(() => {
    if (!needed) return;
    let live = true;
    loadCommonPasswords().then(
      (loaded) => live && setCheck(() => loaded),
      () => undefined, // the rule stays pending; the worker enforces the same list
    );
    return () => {
      live = false;
    };
  }, [needed]);
  return needed ? check : null;
}
