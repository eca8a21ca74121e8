import { useLayoutEffect, useRef, useState } from "preact/hooks";
import { t } from "../i18n.js";
import type { ErrorView } from "../wizard/errors.js";

interface Options {
  /** How many digits the code has: 8 for a sent code, 6 for an authenticator app. */
  length: number;
  /** The screen's request state: the last error from the worker, and whether a request runs. */
  base: { error: ErrorView | null; busy: boolean };
  onVerify: (code: string) => void;
}

/** What useCodeEntry gives a screen, and CodeForm takes. */
export type CodeEntry = ReturnType<typeof useCodeEntry>;

/**
 * The one code field of the reset wizard and the registration page: its value, the length check
 * before sending, and a fresh start after a wrong or expired code.
 */
export function useCodeEntry({ length, base, onVerify }: Options) {
  const [code, setCode] = useState("");
  const [local, setLocal] = useState<ErrorView | null>(null);
  const inputRef = useRef<HTMLInputElement>(null);

  // After a wrong or expired code, start the next attempt from an empty, focused field — in the same
  // render (layout effect), so a code typed right after the error appears is never wiped by a late clear.
  useLayoutEffect(() => {
    if (base.error?.about !== "code") return;
    setCode("");
    inputRef.current?.focus();
  }, [base.error]);

  const submit = (e: Event) => {
    e.preventDefault();
    if (base.busy) return;
    if (code.length !== length) return setLocal({ message: t("errorCodeLength", length) });
    setLocal(null);
    onVerify(code);
  };

  return {
    length,
    code,
    setCode,
    inputRef,
    /** A local check's error first (too short), else the worker's. */
    error: local ?? base.error,
    /** Marks the field: the local check failed, or the worker refused this code. */
    invalid: !!local || base.error?.about === "code",
    submit,
  };
}
