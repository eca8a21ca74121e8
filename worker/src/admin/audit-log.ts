import type { SQL } from "drizzle-orm";
import { and, desc, eq, gte, lt, or, sql } from "drizzle-orm";
import type { z } from "zod";
import type { AuditEvent, auditQuerySchema } from "../../../shared/api/admin.js";
import { iso } from "../clock.js";
import type { Db } from "../context.js";
import { auditEvents } from "../db/schema.js";
import { invalidRequest } from "../errors.js";
import { decodeCursor, encodeCursor } from "./cursor.js";
import { toCsv } from "./csv.js";

export type AuditQuery = z.infer<typeof auditQuerySchema>;
type AuditRow = typeof auditEvents.$inferSelect;

/**
 * `since` ≤ at < `until`; newest first by `seq`, which only grows, so pages never shift under a reader.
 * The plan is chosen here, not left to SQLite's guess (it has no statistics, and at 600,000 rows a
 * wrong guess costs 50-100 ms, issue 13): a unary `+` keeps a column's index out of the plan.
 *   - userId: the actor and subject indexes (a user's events are few), the rest checked per row;
 *   - type: index audit_type_seq, which yields that type's rows already newest first;
 *   - otherwise the seq order itself; `at` is checked per row, so a window far in the past first
 *     steps over the newer rows (the log is written in time order), which beats sorting a whole
 *     window read through audit_at.
 */
export function auditPageQuery(db: Db, query: AuditQuery) {
  const after = decodeCursor("audit", query.cursor);
  const seq = after === null ? null : Number(after);
  if (seq !== null && !(Number.isSafeInteger(seq) && seq > 0)) throw invalidRequest([{ path: "cursor", message: "Not a cursor this list gave out." }]);
  const at = sql`+${auditEvents.at}`;
  const type = query.userId ? sql`+${auditEvents.type}` : sql`${auditEvents.type}`;
  const where: (SQL | undefined)[] = [
    query.type ? eq(type, query.type) : undefined,
    query.userId ? or(eq(auditEvents.actorId, query.userId), eq(auditEvents.subjectId, query.userId)) : undefined,
    query.since ? gte(at, Date.parse(query.since)) : undefined,
    query.until ? lt(at, Date.parse(query.until)) : undefined,
    seq !== null ? lt(auditEvents.seq, seq) : undefined,
  ];
  return db.select().from(auditEvents).where(and(...where)).orderBy(desc(auditEvents.seq)).limit(query.limit + 1);
}

function parseDetail(text: string): Record<string, unknown> {
  try {
    const value: unknown = JSON.parse(text);
    return value && typeof value === "object" && !Array.isArray(value) ? (value as Record<string, unknown>) : { value };
  } catch {
    return { raw: text };
  }
}

export const toAuditEvent = (row: AuditRow): AuditEvent => ({
  id: String(row.seq),
  at: iso(row.at),
  type: row.type,
  actorId: row.actorId,
  subjectId: row.subjectId,
  ip: row.ip,
  outcome: row.outcome === "failure" ? "failure" : "success",
  detail: parseDetail(row.detail),
});

export function auditPage(rows: AuditRow[], limit: number) {
  const page = rows.slice(0, limit);
  return {
    events: page.map(toAuditEvent),
    nextCursor: rows.length > limit ? encodeCursor("audit", page[page.length - 1]!.seq) : null,
  };
}

const CSV_HEADER = ["id", "at", "type", "actorId", "subjectId", "ip", "outcome", "detail"];

/** The same page as CSV: `detail` as its JSON text. */
export const auditCsv = (events: AuditEvent[]) =>
  toCsv(CSV_HEADER, events.map((e) => [e.id, e.at, e.type, e.actorId, e.subjectId, e.ip, e.outcome, JSON.stringify(e.detail)]));
