import type { SQL } from "drizzle-orm";
import { sql } from "drizzle-orm";
import { SQLiteSyncDialect } from "drizzle-orm/sqlite-core";

const dialect = new SQLiteSyncDialect();

/**
 * A fragment that is the same in every request (the policy rules of resets/rules-sql.ts), rendered to
 * its SQL text once, with its values written in as literals. drizzle renders a fragment anew each time
 * it is built into a statement, walking every nested piece; for the reset flow's large conditional
 * statements that walk cost more CPU than the rest of the request (issue 13). Only for fragments whose
 * values are constants of the code, never a request's input: those stay bound parameters.
 */
export function frozen(fragment: SQL): SQL {
  return sql.raw(dialect.sqlToQuery(fragment.inlineParams()).sql);
}
