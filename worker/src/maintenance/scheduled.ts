import { auditRetentionDays, pruneAuditLog } from "./audit-retention.js";
import { pruneExpiredRows } from "./expired-rows.js";
import { sendExpiryReminders } from "./expiry-reminders.js";

/** The daily cron (wrangler.toml `[triggers] crons`): expiry reminders, the audit log's retention, then expired rows. */
export async function scheduledMaintenance(env: Env, now: number, waitUntil: (p: Promise<unknown>) => void): Promise<void> {
  const reminders = await sendExpiryReminders(env.DB, env, now, waitUntil);
  console.log(`password expiry: ${reminders.reminded} reminded, ${reminders.expired} expired`);
  const days = auditRetentionDays(env.AUDIT_RETENTION_DAYS);
  const audit = await pruneAuditLog(env.DB, now, days);
  console.log(`audit retention: ${days ?? "forever"} days, ${audit} rows pruned`);
  const expired = await pruneExpiredRows(env.DB, now);
  console.log(`expired rows pruned: ${JSON.stringify(expired)}`);
}
