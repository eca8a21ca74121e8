import type { SQL } from "drizzle-orm";
import { and, eq, inArray, ne } from "drizzle-orm";
import type { Db } from "../context.js";
import { resets, verificationCodes } from "../db/schema.js";

/**
 * Ends every unfinished reset of a user, with the codes sent for them: for the writes that settle who
 * holds the account (a new password by any route, a disable, a change of roles or methods). A reset
 * started earlier, by whoever holds a code, must not go on to replace that outcome. Two statements for
 * the caller's batch, codes first (they name their reset only by id, and no foreign key cascades them);
 * `onlyIf` ties both to the batch's own write having happened. A completed reset stays, for its 409.
 */
export function endUnfinishedResets(db: Db, userId: string, onlyIf?: SQL) {
  const unfinished = and(eq(resets.userId, userId), ne(resets.status, "completed"));
  return [
    db.delete(verificationCodes).where(and(inArray(verificationCodes.flow, db.select({ id: resets.id }).from(resets).where(unfinished)), onlyIf)),
    db.delete(resets).where(and(unfinished, onlyIf)),
  ] as const;
}
