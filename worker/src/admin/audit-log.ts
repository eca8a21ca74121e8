import type { SQL } from "drizzle-orm";
import { and, desc, eq, gte, lt, or } from "drizzle-orm";
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

/** `since` ≤ at < `until`; newest first by `seq`, which only grows, so pages never shift under a reader. */
export function auditPageQuery(db: Db, query: AuditQuery) {
  const after = decodeCursor("audit", query.cursor);
  const seq = after === null ? null : Number(after);
  if (seq !== null && !(Number.isSafeInteger(seq) && seq > 0)) throw invalidRequest([{ path: "cursor", message: "Not a cursor this list gave out." }]);
  const where: (SQL | undefined)[] = [
    query.type ? eq(auditEvents.type, query.type) : undefined,
    query.userId ? or(eq(auditEvents.actorId, query.userId), eq(auditEvents.subjectId, query.userId)) : undefined,
    query.since ? gte(auditEvents.at, Date.parse(query.since)) : undefined,
    query.until ? lt(auditEvents.at, Date.parse(query.until)) : undefined,
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
