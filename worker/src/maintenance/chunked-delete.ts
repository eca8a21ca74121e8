import type { SQL } from "drizzle-orm";
import { inArray } from "drizzle-orm";
import type { DrizzleD1Database } from "drizzle-orm/d1";
import type { SQLiteColumn, SQLiteTable } from "drizzle-orm/sqlite-core";

/** Rows per DELETE: each statement stays short however far behind the pruning is. */
const CHUNK = 5000;
/** Chunks per table and run; the next day's run continues where this one stopped. */
const MAX_CHUNKS = 200;

/**
 * Deletes the rows of `table` matching `where`, CHUNK at a time (by primary `key`, in `order` if
 * given), at most MAX_CHUNKS statements; returns how many went. Each statement picks and deletes
 * in one go, so a row a request revived meanwhile (its condition no longer true) is never taken.
 */
export async function deleteInChunks(db: DrizzleD1Database, table: SQLiteTable, key: SQLiteColumn, where: SQL, order?: SQLiteColumn): Promise<number> {
  let deleted = 0;
  for (let i = 0; i < MAX_CHUNKS; i++) {
    const picked = db.select({ key }).from(table).where(where).$dynamic();
    const result = await db.delete(table).where(inArray(key, (order ? picked.orderBy(order) : picked).limit(CHUNK)));
    const changes = result.meta.changes ?? 0;
    deleted += changes;
    if (changes < CHUNK) break;
  }
  return deleted;
}
