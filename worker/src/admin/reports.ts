import { sql } from "drizzle-orm";
import type { RegistrationReport, ResetReport } from "../../../shared/api/admin.js";
import type { AuditEventType } from "../../../shared/audit-events.js";
import type { MethodType } from "../../../shared/policy/method-types.js";
import { METHOD_TYPES } from "../../../shared/policy/method-types.js";
import type { Policy } from "../../../shared/policy/schema.js";
import { iso } from "../clock.js";
import type { Db } from "../context.js";
import { rawStatement } from "../db/raw.js";
import { hasEnoughMethods, isEnabledForReset, methodRulesFor } from "../registration/status.js";

const TYPE_BITS: Record<MethodType, number> = { email: 1, sms: 2, totp: 4, security_questions: 8 };

export interface RegistrationBucket {
  is_admin: number;
  disabled: number;
  groups: string;
  mask: number;
  n: number;
}

/**
 * The registration counters: users grouped by what their registration status depends on, kept by
 * triggers on users and recovery_methods (migration 0008) in the statement of every change, so the
 * counts are exact under concurrency. Tens of rows, whatever the directory's size.
 */
export const registrationBucketsQuery = (db: Db) => rawStatement(db, sql`select is_admin, disabled, groups, mask, n from registration_buckets where n > 0`);

const parseGroups = (text: string): string[] => {
  try {
    const value: unknown = JSON.parse(text);
    return Array.isArray(value) ? value.filter((g): g is string => typeof g === "string") : [];
  } catch {
    return [];
  }
};

/** The report under `policy`, by the rules of registration/status.ts applied once per bucket. */
export function toRegistrationReport(buckets: RegistrationBucket[], policy: Policy): RegistrationReport {
  const report: RegistrationReport = { users: 0, enabled: 0, registered: 0, partiallyRegistered: 0, unregistered: 0, byMethod: { email: 0, sms: 0, totp: 0, security_questions: 0 } };
  for (const b of buckets) {
    const n = Number(b.n);
    report.users += n;
    const user = { roles: b.is_admin ? ["global_admin"] : ["user"], groups: parseGroups(b.groups) };
    if (b.disabled || !isEnabledForReset(user, policy)) continue;
    const types = METHOD_TYPES.filter((t) => (b.mask & TYPE_BITS[t]) !== 0);
    report.enabled += n;
    if (hasEnoughMethods(types, methodRulesFor(user, policy))) report.registered += n;
    else if (types.length > 0) report.partiallyRegistered += n;
    else report.unregistered += n;
    for (const t of types) report.byMethod[t] += n;
  }
  return report;
}

const FUNNEL: AuditEventType[] = [
  "reset.started",
  "reset.challenge_sent",
  "reset.verify_failed",
  "reset.verified",
  "reset.completed",
  "reset.blocked",
  // Password expiry (issue 15): a change counts only when made inside its notice window (`beforeExpiry`).
  "password.expired",
  "password.changed",
];

const DAY_MS = 86_400_000;
const funnelTypes = () => sql`(select value from json_each(${JSON.stringify(FUNNEL)}))`;
const rawFunnel = (from: number, to: number) =>
  sql`select type, json_extract(detail, '$.methodType') as method,
      coalesce(json_extract(detail, '$.reason'), case when json_extract(detail, '$.beforeExpiry') then 'before_expiry' end) as reason,
      json_extract(detail, '$.available') as available, count(*) as n
    from audit_events where type in ${funnelTypes()} and at >= ${from} and at < ${to}
      and (type <> 'password.changed' or json_extract(detail, '$.beforeExpiry')) group by 1, 2, 3, 4`;

/**
 * The reset funnel in `since` ≤ at < `until`. Whole UTC days inside the window come from
 * reset_funnel_daily, which triggers keep equal to the audit rows of each day (migrations 0008, 0012: every
 * insert and every pruning delete of a funnel row changes its day's count in the same statement); the
 * partial days at either end are counted from the audit rows themselves (index audit_type). So a year
 * reads about 365 × a few counter rows and at most two days of events, not a year of events.
 */
export function resetReportQuery(db: Db, since: number, until: number) {
  const firstDay = Math.ceil(since / DAY_MS);
  const endDay = Math.floor(until / DAY_MS);
  if (firstDay >= endDay) return rawStatement(db, rawFunnel(since, until));
  return rawStatement(
    db,
    sql`select type, method, reason, available, sum(n) as n from (
        ${rawFunnel(since, firstDay * DAY_MS)}
        union all ${rawFunnel(endDay * DAY_MS, until)}
        union all select type, nullif(method, ''), nullif(reason, ''), nullif(available, -1), n
          from reset_funnel_daily where day >= ${firstDay} and day < ${endDay} and type in ${funnelTypes()}
      ) group by 1, 2, 3, 4`,
  );
}

interface FunnelRow {
  type: string;
  method: string | null;
  reason: string | null;
  available: number | null;
  n: number;
}

export function toResetReport(rows: FunnelRow[], since: number, until: number): ResetReport {
  const byMethod = Object.fromEntries(METHOD_TYPES.map((t) => [t, { challengesSent: 0, verified: 0, failed: 0 }])) as ResetReport["byMethod"];
  const report: ResetReport = { since: iso(since), until: iso(until), started: 0, challengesSent: 0, verified: 0, completed: 0, blocked: 0, unavailable: 0, byMethod, failures: {}, expiry: { expired: 0, changedBeforeExpiry: 0 } };
  for (const row of rows) {
    const method = METHOD_TYPES.includes(row.method as MethodType) ? byMethod[row.method as MethodType] : null;
    switch (row.type) {
      case "reset.started":
        report.started += row.n;
        if (row.available === 0) report.unavailable += row.n;
        break;
      case "reset.challenge_sent":
        report.challengesSent += row.n;
        if (method) method.challengesSent += row.n;
        break;
      case "reset.verified":
        report.verified += row.n;
        if (method) method.verified += row.n;
        break;
      case "reset.verify_failed":
        report.failures[row.reason ?? "unknown"] = (report.failures[row.reason ?? "unknown"] ?? 0) + row.n;
        if (method) method.failed += row.n;
        break;
      case "reset.completed":
        report.completed += row.n;
        if (row.reason === "before_expiry") report.expiry.changedBeforeExpiry += row.n;
        break;
      case "password.changed":
        if (row.reason === "before_expiry") report.expiry.changedBeforeExpiry += row.n;
        break;
      case "password.expired":
        report.expiry.expired += row.n;
        break;
      case "reset.blocked":
        report.blocked += row.n;
        break;
    }
  }
  return report;
}
