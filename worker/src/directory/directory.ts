import type { SQL } from "drizzle-orm";
import { and, asc, eq, sql } from "drizzle-orm";
import type { Db } from "../context.js";
import { recoveryMethods, sessions, signInLockouts, users } from "../db/schema.js";

/**
 * The directory of record behind one set of operations (spec §2): find a user, set a password,
 * revoke sessions. Each returns a statement rather than running it, so a flow can put it in the same
 * D1 batch as the rest of its change; an external directory would implement the same names.
 */
export const directory = {
  findByUsername: (db: Db, username: string) => db.select().from(users).where(eq(users.username, username)).limit(1),

  methodsOfUsername: (db: Db, username: string) =>
    db
      .select()
      .from(recoveryMethods)
      .where(eq(recoveryMethods.userId, sql`(select ${users.id} from ${users} where ${users.username} = ${username})`))
      .orderBy(asc(recoveryMethods.createdAt)),

  methodsOf: (db: Db, userId: string | SQL) =>
    db.select().from(recoveryMethods).where(eq(recoveryMethods.userId, userId)).orderBy(asc(recoveryMethods.createdAt)),

  /**
   * Replaces the hash and keeps the previous one for `historyCount` (newest first, at most 24).
   * `onlyIf` makes this (and the other writes here) depend on an earlier statement of the same batch.
   */
  setPassword: (
    db: Db,
    user: Pick<typeof users.$inferSelect, "id" | "passwordHash" | "passwordHistory">,
    hash: string,
    at: number,
    opts: { mustChange: boolean; onlyIf?: SQL },
  ) =>
    db
      .update(users)
      .set({
        passwordHistory: [user.passwordHash, ...user.passwordHistory].filter((h): h is string => !!h).slice(0, 24),
        passwordHash: hash,
        passwordChangedAt: at,
        mustChangePassword: opts.mustChange,
      })
      .where(and(eq(users.id, user.id), opts.onlyIf)),

  revokeSessions: (db: Db, userId: string, onlyIf?: SQL) => db.delete(sessions).where(and(eq(sessions.userId, userId), onlyIf)),

  clearSignInLockout: (db: Db, userId: string, onlyIf?: SQL) =>
    db
      .delete(signInLockouts)
      .where(and(eq(signInLockouts.username, sql`(select ${users.username} from ${users} where ${users.id} = ${userId})`), onlyIf)),
};
