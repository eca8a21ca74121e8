import { inArray, lt } from "drizzle-orm";
import { drizzle } from "drizzle-orm/d1";
import { auditEvents } from "../db/schema.js";

const DAY_MS = 86_400_000;
export const DEFAULT_AUDIT_RETENTION_DAYS = 365;
/** Rows per DELETE: each statement stays short however far behind the pruning is. */
const CHUNK = 5000;
/** Chunks per run; the next day's run continues where this one stopped. */
const MAX_CHUNKS = 200;

/** AUDIT_RETENTION_DAYS: whole days ≥ 1; "0" keeps the log forever; unset or unreadable: 365. */
export function auditRetentionDays(value: string | undefined): number | null {
  if (value === undefined || value.trim() === "") return DEFAULT_AUDIT_RETENTION_DAYS;
  const days = Number(value);
  if (days === 0) return null;
  if (Number.isInteger(days) && days > 0 && days <= 100_000) return days;
  console.warn(`AUDIT_RETENTION_DAYS=${JSON.stringify(value)} is not a whole number of days; using ${DEFAULT_AUDIT_RETENTION_DAYS}`);
  return DEFAULT_AUDIT_RETENTION_DAYS;
}

/** Deletes audit rows older than `days` before `now`, oldest first, in chunks; returns how many went. */
export async function pruneAuditLog(d1: D1Database, now: number, days: number | null): Promise<number> {
  if (days === null) return 0;
  const db = drizzle(d1);
  const cutoff = now - days * DAY_MS;
  let deleted = 0;
  for (let i = 0; i < MAX_CHUNKS; i++) {
    const oldest = db.select({ seq: auditEvents.seq }).from(auditEvents).where(lt(auditEvents.at, cutoff)).orderBy(auditEvents.seq).limit(CHUNK);
    const result = await db.delete(auditEvents).where(inArray(auditEvents.seq, oldest));
    const changes = result.meta.changes ?? 0;
    deleted += changes;
    if (changes < CHUNK) break;
  }
  return deleted;
}

/** The cron trigger's work (wrangler.toml `[triggers] crons`). */
export async function scheduledAuditPrune(env: Env, now: number): Promise<void> {
  const days = auditRetentionDays(env.AUDIT_RETENTION_DAYS);
  const deleted = await pruneAuditLog(env.DB, now, days);
  console.log(`audit retention: ${days ?? "forever"} days, ${deleted} rows pruned`);
}
