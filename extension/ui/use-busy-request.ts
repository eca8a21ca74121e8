import { useState } from "preact/hooks";
import type { ApiResult } from "../result.js";

/**
 * The request state the reset wizard and the registration page share: whether a request runs, the
 * error notice (of each page's own kind `E`) and the info line. Each page keeps its own screens.
 */
export function useBusyRequest<E>() {
  const [error, setError] = useState<E | null>(null);
  const [info, setInfo] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  /** A new screen starts without the last one's notices; `note` is what to say on arrival, if anything. */
  const clearNotices = (note: string | null = null) => {
    setError(null);
    setInfo(note);
  };

  /** Sends one request with the buttons disabled and any previous notice cleared. */
  async function request<T>(pending: Promise<ApiResult<T>>): Promise<ApiResult<T>> {
    setBusy(true);
    clearNotices();
    try {
      return await pending;
    } finally {
      setBusy(false);
    }
  }

  return { error, setError, info, setInfo, busy, request, clearNotices };
}
