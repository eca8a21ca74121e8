import type { BatchItem } from "drizzle-orm/batch";
import type { Db } from "../context.js";

/**
 * One D1 round trip for a list of statements built by several modules. D1 runs a batch as one
 * transaction: if a statement fails, none of the batch is applied.
 */
export async function runBatch(db: Db, statements: BatchItem<"sqlite">[]): Promise<unknown[]> {
  if (statements.length === 0) return [];
  return db.batch(statements as [BatchItem<"sqlite">, ...BatchItem<"sqlite">[]]);
}

/** Rows changed by a raw statement's result (from `rawStatement` in a batch). */
export const changes = (result: unknown): number => (result as { meta?: { changes?: number } }).meta?.changes ?? 0;
