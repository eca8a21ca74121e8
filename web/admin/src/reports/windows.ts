import type { ResetReport } from "../../../../shared/api/admin.js";
import { METHOD_TYPES } from "../../../../shared/policy/method-types.js";

/** One column of the "over time" chart: a window of the reset report. */
export interface Window {
  since: Date;
  until: Date;
  /** The column's short label, e.g. "7 Dec". */
  label: string;
}

export type Period = "14d" | "12w";

export const PERIODS: Record<Period, { label: string; columns: number; days: number; unit: string }> = {
  "14d": { label: "Last 14 days, by day", columns: 14, days: 1, unit: "Day" },
  "12w": { label: "Last 12 weeks, by week", columns: 12, days: 7, unit: "Week from" },
};

const shortDate = new Intl.DateTimeFormat(undefined, { day: "numeric", month: "short" });

/**
 * The period's windows, oldest first, on local midnights, the last one ending at the end of today: the
 * report counts since ≤ at < until, so adjacent windows share their edge and no event counts twice.
 */
export function windowsOf(period: Period, now: Date, format: (d: Date) => string = (d) => shortDate.format(d)): Window[] {
  const { columns, days } = PERIODS[period];
  const endOfToday = new Date(now.getFullYear(), now.getMonth(), now.getDate() + 1);
  const windows: Window[] = [];
  for (let i = columns; i > 0; i--) {
    const since = new Date(endOfToday.getFullYear(), endOfToday.getMonth(), endOfToday.getDate() - i * days);
    const until = new Date(endOfToday.getFullYear(), endOfToday.getMonth(), endOfToday.getDate() - (i - 1) * days);
    windows.push({ since, until, label: format(since) });
  }
  return windows;
}

/** The windows' reports added up: the whole period's report (every count is a plain sum). */
export function sumReports(reports: ResetReport[]): Omit<ResetReport, "since" | "until"> {
  const total: Omit<ResetReport, "since" | "until"> = {
    started: 0,
    challengesSent: 0,
    verified: 0,
    completed: 0,
    blocked: 0,
    unavailable: 0,
    byMethod: Object.fromEntries(METHOD_TYPES.map((t) => [t, { challengesSent: 0, verified: 0, failed: 0 }])) as ResetReport["byMethod"],
    failures: {},
    expiry: { expired: 0, changedBeforeExpiry: 0 },
  };
  for (const r of reports) {
    for (const k of ["started", "challengesSent", "verified", "completed", "blocked", "unavailable"] as const) total[k] += r[k];
    for (const t of METHOD_TYPES) for (const k of ["challengesSent", "verified", "failed"] as const) total.byMethod[t][k] += r.byMethod[t][k];
    for (const [reason, n] of Object.entries(r.failures)) total.failures[reason] = (total.failures[reason] ?? 0) + n;
    total.expiry.expired += r.expiry.expired;
    total.expiry.changedBeforeExpiry += r.expiry.changedBeforeExpiry;
  }
  return total;
}
