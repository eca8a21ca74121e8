import { auditRetentionDays, pruneAuditLog } from "./audit-retention.js";
import { pruneExpiredRows } from "./expired-rows.js";

/** The daily cron (wrangler.toml `[triggers] crons`): the audit log's retention, then expired rows. */
export async function scheduledMaintenance(env: Env, now: number): Promise<void> {
  const days = auditRetentionDays(env.AUDIT_RETENTION_DAYS);
  const audit = await pruneAuditLog(env.DB, now, days);
  console.log(`audit retention: ${days ?? "forever"} days, ${audit} rows pruned`);
  const expired = await pruneExpiredRows(env.DB, now);
  console.log(`expired rows pruned: ${JSON.stringify(expired)}`);
}
