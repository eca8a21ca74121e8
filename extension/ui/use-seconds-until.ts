import { useEffect, useState } from "preact/hooks";
import type { ErrorView } from "../wizard/errors.js";

/**
 * Whole seconds left until `at` (0 once past or null), re-rendering each second while counting.
 * Worked out on each render, so the first render after `at` is set already counts (no 0 in between).
 */
export function useSecondsUntil(at: number | null): number {
  const [, tick] = useState(0);
  useEffect(() => {
    if (at === null) return;
    const timer = setInterval(() => {
      tick((n) => n + 1);
      if (Date.now() >= at) clearInterval(timer);
    }, 1000);
    return () => clearInterval(timer);
  }, [at]);
  return at === null ? 0 : Math.max(0, Math.ceil((at - Date.now()) / 1000));
}

/**
 * A code screen's notice once the resend wait is over: "You can ask for another in 1 minute" goes
 * away when the link counts down to "Send a new code", so the two never disagree.
 */
export function withoutPastWait(error: ErrorView | null, resendAt: number | null, secondsLeft: number): ErrorView | null {
  return error?.calm && resendAt !== null && secondsLeft === 0 ? null : error;
}
