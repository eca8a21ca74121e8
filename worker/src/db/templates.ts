import { fillPlaceholders, sql } from "drizzle-orm";
import type { BatchItem } from "drizzle-orm/batch";
import { drizzle } from "drizzle-orm/d1";
import type { Db } from "../context.js";

/**
 * Statements rendered once per isolate and bound anew for each request (issue 13). drizzle renders a
 * statement each time it runs, walking every nested fragment; the reset flow's conditional statements
 * (rules-sql.ts, challenge-code.ts, verify-code.ts) are large enough that this walk took about as much
 * CPU as the rest of the request. A template is built once with placeholders where the request's values
 * go; each request then only binds its values to the SQL text already rendered, and the results are
 * mapped as drizzle maps them.
 */

/** A D1 handle that only renders: templates are built against it, never run through it. */
const statementStub = { bind: () => statementStub } as unknown as D1PreparedStatement;
const renderer = drizzle({ prepare: () => statementStub } as unknown as D1Database) as unknown as Db;

interface Rendered {
  sql: string;
  params: unknown[];
  mapResult: (result: unknown, isFromBatch?: boolean) => unknown;
}

/** What drizzle's batch asks of a statement: its prepared query, its SQL and bound values, and how to map its result. */
interface Prepared {
  _prepare(): Prepared;
  getQuery(): { sql: string; params: unknown[] };
  stmt: D1PreparedStatement;
  mapResult(result: unknown, isFromBatch?: boolean): unknown;
}

function render(item: BatchItem<"sqlite">): Rendered {
  const prepared = (item as unknown as Prepared)._prepare();
  const { sql: text, params } = prepared.getQuery();
  return { sql: text, params, mapResult: (result, isFromBatch) => prepared.mapResult(result, isFromBatch) };
}

function bind(db: Db, r: Rendered, values: Record<string, unknown>): Prepared {
  const query = { sql: r.sql, params: fillPlaceholders(r.params, values) };
  const prepared: Prepared = { _prepare: () => prepared, getQuery: () => query, stmt: db.$client.prepare(r.sql), mapResult: r.mapResult };
  return prepared;
}

/**
 * `build` gets a handle and a placeholder for each of `names` (`p.now`, `p.resetId`…), typed so that it
 * fits wherever the value would; it must put each request value in through its placeholder, never
 * compute with it in JS (the SQL text is shared by every request). Returns a function giving the
 * statements for one request's values, typed as `build`'s, for the caller's `db.batch`.
 */
export function statementTemplate<const K extends string, T extends readonly BatchItem<"sqlite">[]>(_names: readonly K[], build: (db: Db, p: { readonly [N in K]: never }) => T) {
  let rendered: Rendered[] | undefined;
  return (db: Db, values: { readonly [N in K]: unknown }): T => {
    rendered ??= build(renderer, placeholders as { readonly [N in K]: never }).map(render);
    return rendered.map((r) => bind(db, r, values)) as unknown as T;
  };
}

const placeholders = new Proxy({}, { get: (_, name) => sql.placeholder(String(name)) });
