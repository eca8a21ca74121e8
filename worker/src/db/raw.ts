import type { SQL } from "drizzle-orm";
import type { Db } from "../context.js";

/**
 * A raw statement that can go into `db.batch()`. drizzle-orm 0.45's D1 batch binds parameters on
 * `prepared.stmt`, which its raw queries (`db.run(sql)`) lack, so a raw statement with parameters
 * would crash the batch; this gives it one. The batch asks for the statement's query again: it gets
 * the one rendered here, not a second rendering of the same SQL.
 */
export function rawStatement(db: Db, query: SQL) {
  const statement = db.run(query);
  const rendered = statement.getQuery();
  return Object.assign(statement, { stmt: db.$client.prepare(rendered.sql), getQuery: () => rendered });
}
