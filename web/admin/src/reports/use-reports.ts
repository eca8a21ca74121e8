import { useEffect, useState } from "preact/hooks";
import type { RegistrationReport, ResetReport } from "../../../../shared/api/admin.js";
import { ApiFailure, call, isAbort } from "../api.js";
import { type Period, type Window, windowsOf } from "./windows.js";

export interface ResetSeries {
  period: Period;
  windows: Window[];
  /** One report per window, in the same order. */
  reports: ResetReport[];
}

const failure = (e: unknown, what: string) => (e instanceof ApiFailure ? e.message : `The ${what} could not be loaded. Try again.`);

/** GET /v1/admin/reports/registration once per visit. */
export function useRegistrationReport(token: string) {
  const [report, setReport] = useState<RegistrationReport | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    const controller = new AbortController();
    call<RegistrationReport>("GET", "/v1/admin/reports/registration", { token, signal: controller.signal })
      .then(setReport)
      .catch((e: unknown) => !isAbort(e) && setError(failure(e, "registration report")));
    return () => controller.abort();
  }, [token]);
  return { report, error };
}

/**
 * The reset report once per window of the period (GET /v1/admin/reports/resets?since=&until=, in
 * parallel): the API reports a window's totals, so a series over time is a report per column. Each
 * is cheap, read from the daily counters (worker/src/admin/reports.ts).
 */
export function useResetSeries(token: string, period: Period) {
  const [series, setSeries] = useState<ResetSeries | null>(null);
  const [loading, setLoading] = useState(true);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    const controller = new AbortController();
    const windows = windowsOf(period, new Date());
    setLoading(true);
    setError(null);
    Promise.all(
      windows.map((w) =>
        call<ResetReport>("GET", `/v1/admin/reports/resets?${new URLSearchParams({ since: w.since.toISOString(), until: w.until.toISOString() })}`, { token, signal: controller.signal }),
      ),
    )
      .then((reports) => {
        setSeries({ period, windows, reports });
        setLoading(false);
      })
      .catch((e: unknown) => {
        if (isAbort(e)) return;
        setError(failure(e, "reset report"));
        setLoading(false);
      });
    return () => controller.abort();
  }, [token, period]);
  return { series, loading, error };
}
