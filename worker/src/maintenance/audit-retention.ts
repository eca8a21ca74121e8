import { lt } from "drizzle-orm";
import { drizzle } from "drizzle-orm/d1";
import { auditEvents } from "../db/schema.js";
import { deleteInChunks } from "./chunked-delete.js";

const DAY_MS = 86_400_000;
export const DEFAULT_AUDIT_RETENTION_DAYS = 365;

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
  return deleteInChunks(drizzle(d1), auditEvents, auditEvents.seq, lt(auditEvents.at, now - days * DAY_MS), auditEvents.seq);
}
