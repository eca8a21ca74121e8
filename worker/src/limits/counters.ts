import { sql } from "drizzle-orm";
import type { SQL } from "drizzle-orm";
import type { Db } from "../context.js";
import { rawStatement } from "../db/raw.js";
import { rateCounters } from "../db/schema.js";

export interface Limit {
  key: string;
  max: number;
  windowMs: number;
}

/** The count in the current window, as SQL, for conditions inside the same batch. */
export const countNow = (key: string | SQL, now: number): SQL =>
  sql`coalesce((select ${rateCounters.count} from ${rateCounters} where ${rateCounters.key} = ${key} and ${rateCounters.windowEnd} > ${now}), 0)`;

/** Reads the counters a flow will check (keys may be SQL, e.g. built from a subquery on the session), to compute a refusal and its Retry-After. */
export const readCounters = (db: Db, keys: (string | SQL)[], now: number) =>
  db
    .select()
    .from(rateCounters)
    .where(sql`${rateCounters.key} in (${sql.join((keys.length ? keys : [""]).map((k) => (typeof k === "string" ? sql`${k}` : k)), sql`, `)}) and ${rateCounters.windowEnd} > ${now}`);

/**
 * Adds one to a fixed-window counter in a single UPSERT (atomic under concurrency); `onlyIf` makes the
 * increment conditional on an earlier statement of the same batch having happened. The key may be SQL
 * (built from a subquery) when the flow decides in the same batch as it reads.
 */
export function incrementCounter(db: Db, limit: { key: string | SQL; windowMs: number }, now: number, onlyIf?: SQL) {
  // Summed in SQL: `now` may be a statement template's placeholder (db/templates.ts).
  const end = sql`(${now} + ${limit.windowMs})`;
  return db
    .insert(rateCounters)
    .select(
      db
        .select({ key: sql`${limit.key}`.as("key"), count: sql`1`.as("count"), windowStart: sql`${now}`.as("window_start"), windowEnd: sql`${end}`.as("window_end") })
        .from(sql`(select 1)`)
        .where(onlyIf ?? sql`1`),
    )
    .onConflictDoUpdate({
      target: rateCounters.key,
      set: {
        count: sql`case when ${rateCounters.windowEnd} <= ${now} then 1 else ${rateCounters.count} + 1 end`,
        windowStart: sql`case when ${rateCounters.windowEnd} <= ${now} then ${now} else ${rateCounters.windowStart} end`,
        windowEnd: sql`case when ${rateCounters.windowEnd} <= ${now} then ${end} else ${rateCounters.windowEnd} end`,
      },
    })
    .returning();
}

/**
 * Several incrementCounter's as one UPSERT, for a batch that counts many limits, where every statement
 * costs about as much as a small query. Each row has a `kind`, and is counted only where `onlyIf(kind)`
 * holds: the condition is written once for all rows (D1 prepares each statement anew per request, so a
 * condition repeated per row cost its compilation per row, issue 13), and its uncorrelated subqueries
 * are run once.
 */
export function incrementCounters(db: Db, rows: { key: string | SQL; windowMs: number; kind: string }[], now: number, onlyIf: (kind: SQL) => SQL, o: { returning?: boolean } = {}) {
  // VALUES, not a UNION: D1 caps the terms of a compound SELECT.
  const rowsSql = sql.join(
    rows.map((r) => sql`(${r.key}, ${now} + ${r.windowMs}, ${r.kind})`),
    sql`, `,
  );
  return rawStatement(
    db,
    sql`insert into ${rateCounters} (key, count, window_start, window_end) select column1, 1, ${now}, column2 from (values ${rowsSql}) where ${onlyIf(sql`column3`)}
      on conflict (key) do update set
        count = case when ${rateCounters.windowEnd} <= ${now} then 1 else ${rateCounters.count} + 1 end,
        window_start = case when ${rateCounters.windowEnd} <= ${now} then ${now} else ${rateCounters.windowStart} end,
        window_end = case when ${rateCounters.windowEnd} <= ${now} then excluded.window_end else ${rateCounters.windowEnd} end${
          o.returning ? sql`
      returning key, count, window_end as "windowEnd"` : sql``
        }`,
  );
}

/** The counters an `incrementCounters(…, { returning: true })` statement counted, from its batch result. */
export const countedRows = (result: unknown) => ((result as { results?: unknown[] }).results ?? []) as { key: string; count: number; windowEnd: number }[];

/**
 * Takes back one count that `incrementCounter` returned (a request that turned out not to be what the
 * limit counts, e.g. a right password), but only from the window it went into.
 */
export const giveBackCounter = (db: Db, counted: { key: string; windowEnd: number }, onlyIf: SQL = sql`1`) =>
  db
    .update(rateCounters)
    .set({ count: sql`${rateCounters.count} - 1` })
    .where(sql`${rateCounters.key} = ${counted.key} and ${rateCounters.windowEnd} = ${counted.windowEnd} and ${rateCounters.count} > 0 and ${onlyIf}`);

/**
 * For counts that already include this request (incrementCounter's RETURNING): count first, then
 * decide, so concurrent requests can never all pass a check made before any of them counted.
 */
export const retryAfterCounted = (rows: { key: string; count: number; windowEnd: number }[], limits: Limit[], now: number): number | null =>
  retryAfter(
    rows.map((r) => ({ ...r, count: r.count - 1 })),
    limits,
    now,
  );

/** Seconds until the first exceeded limit frees up, or null when none is exceeded. */
export function retryAfter(rows: { key: string; count: number; windowEnd: number }[], limits: Limit[], now: number): number | null {
  let wait: number | null = null;
  for (const limit of limits) {
    const row = rows.find((r) => r.key === limit.key);
    if (row && row.windowEnd > now && row.count >= limit.max) wait = Math.max(wait ?? 0, Math.ceil((row.windowEnd - now) / 1000));
  }
  return wait;
}
