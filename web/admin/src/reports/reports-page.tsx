import { useState } from "preact/hooks";
import type { RegistrationReport } from "../../../../shared/api/admin.js";
import { METHOD_TYPES } from "../../../../shared/policy/method-types.js";
import { methodName } from "../format.js";
import { navigate } from "../router.js";
import type { AdminSession } from "../session.js";
import { BarChart, ColumnChart, StackedBar } from "./charts.js";
import { percentOf } from "./scale.js";
import { type ResetSeries, useRegistrationReport, useResetSeries } from "./use-reports.js";
import { type Period, PERIODS, sumReports } from "./windows.js";

const REASONS: Record<string, string> = { invalid_code: "Wrong code", code_expired: "Expired code", invalid_answers: "Wrong answers", unknown: "Other" };
const reasonName = (reason: string) => REASONS[reason] ?? reason.replace(/_/g, " ");

const isPeriod = (v: string | null): v is Period => v !== null && Object.hasOwn(PERIODS, v);

export function ReportsPage({ session, search }: { session: AdminSession; search: URLSearchParams }) {
  const initial = search.get("period");
  const [period, setPeriod] = useState<Period>(isPeriod(initial) ? initial : "14d");
  const registration = useRegistrationReport(session.token);
  const resets = useResetSeries(session.token, period);

  function choose(value: string) {
    if (!isPeriod(value)) return;
    setPeriod(value);
    navigate(`/admin/reports?period=${value}`, { replace: true });
  }

  return (
    <>
      <h1>Reports</h1>
      <section aria-labelledby="registration-heading">
        <h2 id="registration-heading">Registration</h2>
        {registration.error && (
          <div class="notice error" role="alert">
            {registration.error}
          </div>
        )}
        {registration.report ? <Registration report={registration.report} /> : !registration.error && <p class="muted">Loading…</p>}
      </section>
      <section aria-labelledby="resets-heading">
        <h2 id="resets-heading">Password resets</h2>
        <div class="filters">
          <div class="filter narrow">
            <label for="reports-period">Period</label>
            <select id="reports-period" value={period} onChange={(e) => choose(e.currentTarget.value)}>
              {(Object.keys(PERIODS) as Period[]).map((p) => (
                <option value={p} key={p}>
                  {PERIODS[p].label}
                </option>
              ))}
            </select>
          </div>
        </div>
        {resets.error && (
          <div class="notice error" role="alert">
            {resets.error}
          </div>
        )}
        <p class="result-count" role="status">
          {resets.loading ? "Loading…" : ""}
        </p>
        {/* The last period's numbers stay hidden while the new one loads: they would be read under the wrong label. */}
        {resets.series?.period === period && <Resets series={resets.series} period={period} />}
      </section>
    </>
  );
}

function Registration({ report }: { report: RegistrationReport }) {
  const share = percentOf(report.registered, report.enabled);
  return (
    <>
      <p>
        {report.enabled} of {report.users} accounts may reset their own password; {share}% of them have registered enough methods.
      </p>
      <div class="chart-grid">
        <StackedBar
          title="Coverage"
          summary={`${report.registered} of ${report.enabled} registered`}
          parts={[
            { name: "Registered", tone: 2, value: report.registered },
            { name: "Partly registered", tone: 4, value: report.partiallyRegistered },
            { name: "Not registered", tone: 3, value: report.unregistered },
          ]}
        />
        <BarChart
          title="Methods registered"
          summary="People with each method, of those who may reset"
          series={[{ name: "People", tone: 1 }]}
          of={report.enabled}
          rows={METHOD_TYPES.map((t) => ({ label: methodName(t), values: [report.byMethod[t]] }))}
        />
      </div>
    </>
  );
}

function Resets({ series, period }: { series: ResetSeries; period: Period }) {
  const total = sumReports(series.reports);
  const reasons = Object.entries(total.failures).sort((a, b) => b[1] - a[1]);
  const failed = reasons.reduce((s, [, n]) => s + n, 0);
  return (
    <>
      <dl class="stats">
        <Stat label="Started" value={total.started} />
        <Stat label="Completed" value={total.completed} />
        <Stat label="Not offered" value={total.unavailable} />
        <Stat label="Blocked" value={total.blocked} />
      </dl>
      <ColumnChart
        title="Resets over time"
        summary={`${total.started} started, ${total.completed} completed`}
        unit={PERIODS[period].unit}
        series={[
          { name: "Started", tone: 1 },
          { name: "Completed", tone: 2 },
        ]}
        columns={series.windows.map((w, i) => ({ label: w.label, values: [series.reports[i]!.started, series.reports[i]!.completed] }))}
      />
      <div class="chart-grid">
        <BarChart
          title="From start to new password"
          summary="How far resets got"
          series={[{ name: "Count", tone: 1 }]}
          rows={[
            { label: "Started", values: [total.started] },
            { label: "Code or questions sent", values: [total.challengesSent] },
            { label: "Checks passed", values: [total.verified] },
            { label: "Password reset", values: [total.completed] },
          ]}
        />
        <BarChart
          title="Checks by method"
          summary="Identity checks passed and failed"
          series={[
            { name: "Passed", tone: 2 },
            { name: "Failed", tone: 3 },
          ]}
          rows={METHOD_TYPES.map((t) => ({ label: methodName(t), values: [total.byMethod[t].verified, total.byMethod[t].failed] }))}
        />
        <BarChart
          title="Failed checks by reason"
          summary={`${failed} failed ${failed === 1 ? "check" : "checks"}`}
          series={[{ name: "Failed checks", tone: 3 }]}
          rows={reasons.map(([reason, n]) => ({ label: reasonName(reason), values: [n] }))}
          empty="No failed checks in this period."
        />
        <BarChart
          title="Password expiry"
          summary="Passwords that expired, and those changed in time"
          series={[{ name: "Passwords", tone: 4 }]}
          rows={[
            { label: "Expired unchanged", values: [total.expiry.expired] },
            { label: "Changed before expiry", values: [total.expiry.changedBeforeExpiry] },
          ]}
        />
      </div>
    </>
  );
}

function Stat({ label, value }: { label: string; value: number }) {
  return (
    <div class="stat">
      <dt>{label}</dt>
      <dd>{value}</dd>
    </div>
  );
}
