import type { SQL } from "drizzle-orm";
import { and, asc, eq, sql } from "drizzle-orm";
import type { PatchUserRequest } from "../../../shared/api/admin.js";
import type { UserRef } from "../../../shared/directory/protocol.js";
import type { Db } from "../context.js";
import { directoryAgents, recoveryMethods, sessions, signInLockouts, users } from "../db/schema.js";
import { ApiError } from "../errors.js";
import { nativeExpiresAt, nativeExpiresAtSql } from "../passwords/expiry.js";
import type { Policy } from "../../../shared/policy/schema.js";
import type { BindAnswer, SetAnswer } from "./agent-answers.js";
import { bindAnswer, setAnswer, unlockAnswer } from "./agent-answers.js";
import { encodeBase32LowerCaseNoPadding } from "@oslojs/encoding";
import { randomBytes } from "../crypto/random.js";
import { runAgentJob } from "./agent/run-job.js";
import { directoryHub } from "./agent/hub.js";

/** Names no entry: the agent finds entries by their stable id, so a decoy bind never reaches one. */
const DECOY_DN = "cn=opensspr-decoy";

type UserRow = typeof users.$inferSelect;

/** What the organisation's directory owns for its users (directory.md): read-only through the admin API. */
const DIRECTORY_FIELDS = ["displayName", "roles", "groups", "disabled", "passwordNeverExpires"] as const satisfies readonly (keyof PatchUserRequest)[];

const refOf = (user: UserRow): UserRef => ({ externalId: user.externalId ?? "", dn: user.directoryDn ?? "" });

/**
 * The directory of record behind one set of operations (spec §2): find a user, set a password,
 * revoke sessions. Each returns a statement rather than running it, so a flow can put it in the same
 * D1 batch as the rest of its change. A user's `source` says which directory holds the password: D1
 * itself ("native": a hash here) or the organisation's ("directory": the agent binds and sets it, and
 * D1 records only when). This object is the one place that tells them apart.
 */
export const directory = {
  /** Whether the organisation's directory holds this user's password (and owns their profile). */
  isExternal: (user: Pick<UserRow, "source">) => user.source === "directory",

  /**
   * When the user's password expires (null: never). A directory user's expiry is the directory's, as
   * the last sync read it (AD and ppolicy count it from the change); a native user's follows the
   * policy, computed now so a policy change applies at once.
   */
  passwordExpiresAt: (user: Pick<UserRow, "source" | "passwordExpiresAt" | "passwordChangedAt" | "passwordNeverExpires">, policy: Policy): number | null =>
    user.source === "directory" ? user.passwordExpiresAt : nativeExpiresAt(user, policy),

  /** passwordExpiresAt as SQL over the users row `u`. */
  passwordExpiresAtSql: sql`(case when u.source = 'directory' then u.password_expires_at else ${nativeExpiresAtSql} end)`,

  /** Whether any agent is enrolled (a statement for a flow's batch): the organisation keeps its users in a directory. */
  usesAgents: (db: Db) => db.select({ id: directoryAgents.id }).from(directoryAgents).where(sql`${directoryAgents.credentialHash} is not null`).limit(1),

  /** Whether an agent is connected right now, so a job would reach the directory. */
  agentReachable: async (env: Env): Promise<boolean> => (await directoryHub(env).connectedAgents()).length > 0,

  /** A bind as the user through the agent (sign-in, re-authentication), for external users only. */
  bind: async (env: Env, user: UserRow, password: string): Promise<BindAnswer> =>
    bindAnswer(await runAgentJob(env, { kind: "bind", user: refOf(user), password })),

  /**
   * A bind for an id no directory entry has, sent for a failed sign-in that reached no directory
   * (an unknown, native or disabled name): the agent searches and binds in vain (agent
   * operations.ts), so the answer takes a directory's round trips like a directory user's wrong
   * password and its time does not tell the kinds of name apart (spec §9). Its outcome is not needed,
   * and neither is the password typed (a near miss of a native admin's, say): random text of the
   * same length goes instead.
   */
  decoyBind: async (env: Env, typedLength: number): Promise<void> => {
    const stand = encodeBase32LowerCaseNoPadding(randomBytes(typedLength)).slice(0, Math.max(1, typedLength));
    await runAgentJob(env, { kind: "bind", user: { externalId: crypto.randomUUID(), dn: DECOY_DN }, password: stand });
  },

  /**
   * Sets an external user's password through the agent; answers only once the directory did. Its
   * refusals are thrown as the contract's errors (422 `password_policy` rule "directory", 503
   * `directory_unavailable`); a change's wrong current password is returned for the caller to count.
   */
  setExternalPassword: async (
    env: Env,
    user: UserRow,
    p: { mode: "reset" | "admin"; password: string; mustChange: boolean } | { mode: "change"; password: string; currentPassword: string },
  ): Promise<SetAnswer> => {
    const job =
      p.mode === "change"
        ? { kind: "set_password" as const, user: refOf(user), mode: p.mode, password: p.password, currentPassword: p.currentPassword, mustChange: false as const }
        : { kind: "set_password" as const, user: refOf(user), mode: p.mode, password: p.password, mustChange: p.mustChange };
    return setAnswer(await runAgentJob(env, job), p.mode);
  },

  /** Clears the directory's own lockout of an external user (throws its refusals, see unlockAnswer). */
  unlockExternal: async (env: Env, user: UserRow): Promise<void> => unlockAnswer(await runAgentJob(env, { kind: "unlock", user: refOf(user) })),

  /** 409 `managed_by_directory` when a patch touches a field the organisation's directory owns. */
  assertWritable: (user: UserRow, patch: PatchUserRequest) => {
    if (user.source !== "directory") return;
    const owned = DIRECTORY_FIELDS.filter((field) => patch[field] !== undefined);
    if (owned.length > 0) {
      throw new ApiError(409, "managed_by_directory", "Your organisation's directory manages this field for this user: change it there.", owned.map((path) => ({ path, message: "Managed by the directory." })));
    }
  },

  /**
   * Records a password the organisation's directory has just set: no hash is kept here (the agent
   * checks it by binding), only when, and whether it must be changed at the next sign-in. Its expiry
   * moves by the same lifetime the directory gave the previous one (AD and ppolicy count the maximum
   * age from the change), until the next sync reads the directory's own.
   */
  recordExternalPassword: (db: Db, userId: string, at: number, opts: { mustChange: boolean; onlyIf?: SQL }) =>
    db
      .update(users)
      .set({
        passwordChangedAt: at,
        mustChangePassword: opts.mustChange,
        passwordExpiresAt: sql`case when ${users.passwordExpiresAt} is not null and ${users.passwordChangedAt} is not null
          then ${at} + (${users.passwordExpiresAt} - ${users.passwordChangedAt}) else ${users.passwordExpiresAt} end`,
      })
      .where(and(eq(users.id, userId), eq(users.source, "directory"), opts.onlyIf)),

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
