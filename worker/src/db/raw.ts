import type { SQL } from "drizzle-orm";
import type { Db } from "../context.js";

/**
 * A raw statement that can go into `db.batch()`. drizzle-orm 0.45's D1 batch binds parameters on
 * `prepared.stmt`, which its raw queries (`db.run(sql)`) lack, so a raw statement with parameters
 * would crash the batch; this gives it one.
 */
export function rawStatement(db: Db, query: SQL) {
  const statement = db.run(query);
  return Object.assign(statement, { stmt: db.$client.prepare(statement.getQuery().sql) });
}
