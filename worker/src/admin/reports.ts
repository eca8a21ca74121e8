import type { SQL } from "drizzle-orm";
import { sql } from "drizzle-orm";
import type { RegistrationReport, ResetReport } from "../../../shared/api/admin.js";
import type { AuditEventType } from "../../../shared/audit-events.js";
import type { MethodType } from "../../../shared/policy/method-types.js";
import { ADMIN_METHODS_AVAILABLE, ADMIN_METHODS_REQUIRED, METHOD_TYPES } from "../../../shared/policy/method-types.js";
import type { Policy } from "../../../shared/policy/schema.js";
import { iso } from "../clock.js";
import type { Db } from "../context.js";
import { rawStatement } from "../db/raw.js";

const ADMIN_ROLE_VALUES = sql.raw(`'global_admin', 'password_admin'`);

/** The policy's "enabled for SSPR" for a non-admin row `u` (spec §4: none / selected groups / all). */
function enabledForNonAdmin(policy: Policy): SQL {
  const { enabledFor, groups } = policy.selfServiceReset;
  if (enabledFor === "all") return sql`1`;
  if (enabledFor === "none") return sql`0`;
  return sql`exists (select 1 from json_each(u.groups) as g where g.value in (select value from json_each(${JSON.stringify(groups)})))`;
}

/**
 * Registration coverage in one aggregate query: per user (left join of active methods, grouped), then
 * summed. The rules are those of registration/status.ts, in SQL: admin accounts follow the fixed
 * admin policy (2 of email/sms/totp, enabled by adminPolicy.enabled); a disabled account is never
 * enabled; "complete" = at least `required` distinct usable types, one of them not security questions.
 */
export function registrationReportQuery(db: Db, policy: Policy) {
  const usable = sql`(case when u.is_admin then m.type in (select value from json_each(${JSON.stringify(ADMIN_METHODS_AVAILABLE)}))
    else m.type in (select value from json_each(${JSON.stringify(policy.methods.available)})) end)`;
  const has = (t: MethodType) => sql`coalesce(max(m.type = ${t}), 0)`;
  return rawStatement(
    db,
    sql`select count(*) as users,
        coalesce(sum(enabled), 0) as enabled,
        coalesce(sum(enabled and complete), 0) as registered,
        coalesce(sum(enabled and not complete and active_types > 0), 0) as partial,
        coalesce(sum(enabled and active_types = 0), 0) as unregistered,
        coalesce(sum(enabled and has_email), 0) as email,
        coalesce(sum(enabled and has_sms), 0) as sms,
        coalesce(sum(enabled and has_totp), 0) as totp,
        coalesce(sum(enabled and has_questions), 0) as security_questions
      from (
        select
          (u.disabled = 0 and (case when u.is_admin then ${policy.adminPolicy.enabled ? 1 : 0} else ${enabledForNonAdmin(policy)} end)) as enabled,
          count(distinct m.type) as active_types,
          (count(distinct case when ${usable} then m.type end) >= (case when u.is_admin then ${ADMIN_METHODS_REQUIRED} else ${policy.methods.required} end)
            and count(distinct case when ${usable} and m.type <> 'security_questions' then m.type end) > 0) as complete,
          ${has("email")} as has_email, ${has("sms")} as has_sms, ${has("totp")} as has_totp, ${has("security_questions")} as has_questions
        from (select users.id, users.disabled, users.groups,
                exists (select 1 from json_each(users.roles) where value in (${ADMIN_ROLE_VALUES})) as is_admin
              from users) as u
        left join recovery_methods as m on m.user_id = u.id and m.status = 'active'
        group by u.id
      )`,
  );
}

type Counts = Record<string, number>;

export function toRegistrationReport(row: Counts | undefined): RegistrationReport {
  const n = (k: string) => Number(row?.[k] ?? 0);
  return {
    users: n("users"),
    enabled: n("enabled"),
    registered: n("registered"),
    partiallyRegistered: n("partial"),
    unregistered: n("unregistered"),
    byMethod: { email: n("email"), sms: n("sms"), totp: n("totp"), security_questions: n("security_questions") },
  };
}

const FUNNEL: AuditEventType[] = ["reset.started", "reset.challenge_sent", "reset.verify_failed", "reset.verified", "reset.completed", "reset.blocked"];

const DAY_MS = 86_400_000;
const funnelTypes = () => sql`(select value from json_each(${JSON.stringify(FUNNEL)}))`;
const rawFunnel = (from: number, to: number) =>
  sql`select type, json_extract(detail, '$.methodType') as method, json_extract(detail, '$.reason') as reason,
      json_extract(detail, '$.available') as available, count(*) as n
    from audit_events where type in ${funnelTypes()} and at >= ${from} and at < ${to} group by 1, 2, 3, 4`;

/**
 * The reset funnel in `since` ≤ at < `until`. Whole UTC days inside the window come from
 * reset_funnel_daily, which triggers keep equal to the audit rows of each day (migration 0008: every
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
  const report: ResetReport = { since: iso(since), until: iso(until), started: 0, challengesSent: 0, verified: 0, completed: 0, blocked: 0, unavailable: 0, byMethod, failures: {} };
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
        break;
      case "reset.blocked":
        report.blocked += row.n;
        break;
    }
  }
  return report;
}
