import type { SQL } from "drizzle-orm";
import { sql } from "drizzle-orm";
import type { Db } from "./context.js";
import { rawStatement } from "./db/raw.js";
import { auditEvents } from "./db/schema.js";

export interface AuditEntry {
  type: string;
  at: number;
  actorId?: string | null;
  subjectId?: string | null;
  ip?: string | null;
  outcome: "success" | "failure";
  detail?: Record<string, unknown>;
}

const values = (entry: AuditEntry) => ({
  at: entry.at,
  type: entry.type,
  actorId: entry.actorId ?? null,
  subjectId: entry.subjectId ?? null,
  ip: entry.ip ?? null,
  outcome: entry.outcome,
  detail: JSON.stringify(entry.detail ?? {}),
});

/** One audit row as a statement, to go into the same D1 batch as the change it records. */
export const auditInsert = (db: Db, entry: AuditEntry) => db.insert(auditEvents).values(values(entry));

/** An audit row written only if `condition` holds when its turn in the batch comes (after a conditional write). */
export function auditInsertIf(db: Db, entry: AuditEntry, condition: SQL) {
  const v = values(entry);
  return rawStatement(db, sql`insert into ${auditEvents} (at, type, actor_id, subject_id, ip, outcome, detail)
    select ${v.at}, ${v.type}, ${v.actorId}, ${v.subjectId}, ${v.ip}, ${v.outcome}, ${v.detail} where ${condition}`);
}
