import { sql } from "drizzle-orm";
import { index, integer, primaryKey, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";
import type { Locale } from "../../../shared/locale.js";

/** Times are epoch milliseconds (integer): compared in SQL, shown as ISO 8601 by the API. */

export const users = sqliteTable(
  "users",
  {
    id: text().primaryKey(),
    /** NFKC + lower case (spec §2); unique, so two spellings of one name can never be two accounts. */
    username: text().notNull().unique(),
    displayName: text("display_name").notNull(),
    /** searchFold(displayName), written with every display name: what `q` searches (SQLite folds A–Z only). */
    displayNameFolded: text("display_name_folded").notNull().default(""),
    email: text(),
    roles: text({ mode: "json" }).$type<string[]>().notNull(),
    groups: text({ mode: "json" }).$type<string[]>().notNull(),
    disabled: integer({ mode: "boolean" }).notNull().default(false),
    mustChangePassword: integer("must_change_password", { mode: "boolean" }).notNull().default(false),
    passwordHash: text("password_hash"),
    /** Previous hashes, newest first, for `passwordPolicy.historyCount`. */
    passwordHistory: text("password_history", { mode: "json" }).$type<string[]>().notNull(),
    passwordChangedAt: integer("password_changed_at"),
    createdAt: integer("created_at").notNull(),
    lastSignInAt: integer("last_sign_in_at"),
    registrationConfirmedAt: integer("registration_confirmed_at"),
    registrationSkips: integer("registration_skips").notNull().default(0),
    /** Self-service reset blocked until then after too many failed identity checks (spec §6). */
    resetBlockedUntil: integer("reset_blocked_until"),
    /** directory.md: "directory" users have no hash here; the agent binds and sets their password. */
    source: text().$type<"native" | "directory">().notNull().default("native"),
    /** The directory's stable id (OpenLDAP entryUUID, AD objectGUID): how a sync recognises a renamed user. */
    externalId: text("external_id").unique(),
    directoryDn: text("directory_dn"),
    /** The sync that last saw this user; a finished sync disables directory users it did not see. */
    syncId: text("sync_id"),
    /** Contact attributes as last synced ({email, alternateEmail, mobile}): methods are re-seeded only when they change. */
    directoryContact: text("directory_contact", { mode: "json" }).$type<Record<string, string | null> | null>(),
    /** null: never. Directory users: from the directory; native users: issue 15 (expiry policy). */
    passwordExpiresAt: integer("password_expires_at"),
    passwordNeverExpires: integer("password_never_expires", { mode: "boolean" }).notNull().default(false),
    /**
     * Expiry reminders (maintenance/expiry-reminders.ts): the expiry they were sent for, and the smallest
     * threshold (days before) already sent, 0 once the expiry itself was recorded. A new password (or a
     * policy change) moves the expiry, which makes this state stale: no column to clear on every change.
     */
    expiryNoticeFor: integer("expiry_notice_for"),
    expiryNoticeDays: integer("expiry_notice_days"),
    /** Language of this user's emails and SMS (issue 18); null: the policy's defaultLocale. */
    locale: text().$type<Locale>(),
  },
  // Admin search walks usernames in order testing both folded names (admin/user-search.ts): with every
  // column it reads in the index, the walk reads index pages in order instead of one table page per user.
  (t) => [index("users_search_walk").on(t.username, t.displayNameFolded, t.id)],
);

export const sessions = sqliteTable(
  "sessions",
  {
    /** SHA-256 of the bearer token; the token itself is never stored. */
    tokenHash: text("token_hash").primaryKey(),
    userId: text("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    createdAt: integer("created_at").notNull(),
    expiresAt: integer("expires_at").notNull(),
    /**
     * When the password was last proved on this session (sign-in or reauth): changing recovery methods
     * needs it recent, so a stolen token alone cannot take over the account (issue 11). 0 (before this
     * column existed): never fresh.
     */
    provedAt: integer("proved_at").notNull().default(0),
  },
  // Expiry indexes (here and below) let the daily prune (maintenance/expired-rows.ts) find its rows
  // without reading the whole table.
  (t) => [index("sessions_user").on(t.userId), index("sessions_expires").on(t.expiresAt)],
);

/** Smart lockout state per normalised username, whether or not the account exists (spec §6). */
export const signInLockouts = sqliteTable(
  "sign_in_lockouts",
  {
    username: text().primaryKey(),
    failures: integer().notNull().default(0),
    lockCount: integer("lock_count").notNull().default(0),
    lockedUntil: integer("locked_until").notNull().default(0),
    /** Keyed fingerprints of the last 3 wrong passwords: repeating one does not count again. */
    recentWrong: text("recent_wrong").notNull().default("[]"),
    /**
     * Attempts counted since the last successful sign-in, admin unlock or completed reset (which delete
     * the row); a lock's end does not restart it. At the hard cap the lock has no end (sign-in-lockout.ts).
     */
    consecutiveFailures: integer("consecutive_failures").notNull().default(0),
    updatedAt: integer("updated_at").notNull(),
  },
  (t) => [index("sign_in_lockouts_updated").on(t.updatedAt)],
);

/** Every version of the policy is kept; the current one is the highest `version`. */
export const policies = sqliteTable("policies", {
  version: integer().primaryKey(),
  settings: text().notNull(),
  updatedAt: integer("updated_at").notNull(),
  updatedBy: text("updated_by"),
});

export const auditEvents = sqliteTable(
  "audit_events",
  {
    /** Also the event's public id and the pagination cursor: it only grows. */
    seq: integer().primaryKey({ autoIncrement: true }),
    at: integer().notNull(),
    type: text().notNull(),
    actorId: text("actor_id"),
    subjectId: text("subject_id"),
    ip: text(),
    outcome: text().notNull(),
    detail: text().notNull().default("{}"),
  },
  (t) => [
    index("audit_at").on(t.at),
    index("audit_type").on(t.type, t.at),
    // A type's events newest first without a sort (admin/audit-log.ts).
    index("audit_type_seq").on(t.type, t.seq),
    index("audit_actor").on(t.actorId),
    index("audit_subject").on(t.subjectId),
  ],
);

/** Fixed-window counters for rate limits, updated in one UPSERT so concurrent requests all count. */
export const rateCounters = sqliteTable(
  "rate_counters",
  {
    key: text().primaryKey(),
    count: integer().notNull(),
    windowStart: integer("window_start").notNull(),
    windowEnd: integer("window_end").notNull(),
  },
  (t) => [index("rate_counters_window_end").on(t.windowEnd)],
);

export const recoveryMethods = sqliteTable(
  "recovery_methods",
  {
    id: text().primaryKey(),
    userId: text("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    type: text().$type<"email" | "sms" | "totp" | "security_questions">().notNull(),
    status: text().$type<"pending" | "active">().notNull(),
    /** Where codes go: an email address or an E.164 number. Not a secret; needed to send. */
    target: text(),
    hint: text().notNull(),
    label: text(),
    /** TOTP: the AES-GCM-sealed seed. Security questions: JSON of question ids and answer hashes. */
    secret: text(),
    /** TOTP: the last time step accepted, so a code is never accepted twice (RFC 6238 §5.2). */
    lastUsedStep: integer("last_used_step"),
    /**
     * Security questions: the ids drawn to ask, kept across resets and drawn again only after a wrong
     * answer or a right one, so starting a new reset cannot fish for a set the asker knows.
     */
    questionDraw: text("question_draw", { mode: "json" }).$type<string[] | null>(),
    createdAt: integer("created_at").notNull(),
    verifiedAt: integer("verified_at"),
    /** "directory": seeded by a sync from the directory's email or mobile attribute (the user can replace it). */
    origin: text().$type<"user" | "directory">().notNull().default("user"),
  },
  (t) => [
    index("recovery_methods_user").on(t.userId),
    // One set of security questions per user, however many saves race (registration/security-questions.ts).
    uniqueIndex("recovery_methods_one_question_set").on(t.userId).where(sql`type = 'security_questions'`),
  ],
);

/** Development only: every message sent, readable at GET /v1/dev/outbox. */
export const devOutbox = sqliteTable("dev_outbox", {
  seq: integer().primaryKey({ autoIncrement: true }),
  channel: text().$type<"email" | "sms">().notNull(),
  to: text("recipient").notNull(),
  subject: text().notNull(),
  body: text().notNull(),
  code: text(),
  sentAt: integer("sent_at").notNull(),
});

/**
 * One live code per method and flow (registration, or one reset): a resend replaces the row, which is
 * what invalidates the previous code. Only an HMAC of the code is stored.
 */
export const verificationCodes = sqliteTable(
  "verification_codes",
  {
    id: text().primaryKey(),
    methodId: text("method_id")
      .notNull()
      .references(() => recoveryMethods.id, { onDelete: "cascade" }),
    /** "registration", or the reset's id. */
    flow: text().notNull(),
    codeHash: text("code_hash").notNull(),
    attemptsLeft: integer("attempts_left").notNull(),
    createdAt: integer("created_at").notNull(),
    expiresAt: integer("expires_at").notNull(),
    usedAt: integer("used_at"),
    /** A per-request nonce written by the attempt that last spent or consumed the code, so the rest of its batch can tell. */
    lastAttempt: text("last_attempt"),
  },
  (t) => [uniqueIndex("verification_codes_method_flow").on(t.methodId, t.flow), index("verification_codes_expires").on(t.expiresAt)],
);

/** A self-service reset: a persisted state machine (verifying → verified → completed), 15 minutes long. */
export const resets = sqliteTable(
  "resets",
  {
    id: text().primaryKey(),
    /** SHA-256 of the reset token. */
    tokenHash: text("token_hash").notNull().unique(),
    userId: text("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    /** "unlock": once verified, clears the sign-in lockout instead of setting a password (issue 15). */
    purpose: text().$type<"reset" | "unlock">().notNull().default("reset"),
    status: text().$type<"verifying" | "verified" | "completed">().notNull(),
    methodsRequired: integer("methods_required").notNull(),
    verifiedMethodIds: text("verified_method_ids", { mode: "json" }).$type<string[]>().notNull(),
    ip: text(),
    createdAt: integer("created_at").notNull(),
    expiresAt: integer("expires_at").notNull(),
    completedAt: integer("completed_at"),
    /** A per-request nonce written by the completion that won, so the rest of its batch can tell it won. */
    completionId: text("completion_id"),
    /**
     * A directory user's completion holds the reset while the agent sets the password (its
     * completionId is the holder's): no second completion starts before then. Released when the
     * directory refuses or cannot be reached; past this time a crashed holder no longer counts.
     */
    claimedUntil: integer("claimed_until"),
  },
  (t) => [index("resets_user").on(t.userId), index("resets_expires").on(t.expiresAt)],
);

/*
 * Read models for a large directory (issue 13 item 5). Each is kept by triggers (migration
 * 0008_directory_read_models.sql) in the same statement as the write it follows, so it is exact
 * under concurrency and no write path can forget it. Design: docs in admin/user-list.ts and reports.ts.
 */

/** A stable integer key per user for the trigram index `users_search` (FTS5 rows need one). */
export const userSearchKeys = sqliteTable("user_search_keys", {
  key: integer().primaryKey({ autoIncrement: true }),
  userId: text("user_id").notNull().unique(),
});

/** One row per role and per group of each user, so `role=` and `group=` read an index in page order. */
export const userLabels = sqliteTable(
  "user_labels",
  {
    kind: text().$type<"role" | "group">().notNull(),
    value: text().notNull(),
    username: text().notNull(),
    userId: text("user_id").notNull(),
  },
  (t) => [uniqueIndex("user_labels_page").on(t.kind, t.value, t.username), index("user_labels_user").on(t.userId)],
);

/** The reset funnel's audit rows counted per UTC day; '' and -1 stand for "absent" so the key is unique. */
export const resetFunnelDaily = sqliteTable(
  "reset_funnel_daily",
  {
    day: integer().notNull(),
    type: text().notNull(),
    method: text().notNull(),
    reason: text().notNull(),
    available: integer().notNull(),
    n: integer().notNull(),
  },
  (t) => [primaryKey({ columns: [t.day, t.type, t.method, t.reason, t.available] })],
);

/** Each user's active recovery method types as bits (email 1, sms 2, totp 4, security questions 8). */
export const userMethodMasks = sqliteTable("user_method_masks", {
  userId: text("user_id").primaryKey(),
  mask: integer().notNull(),
});

/**
 * How many users share each combination of what the registration report depends on: admin or not,
 * disabled or not, groups (the JSON text), active method types. The report applies the policy to
 * these few rows instead of reading every user and method (admin/reports.ts).
 */
export const registrationBuckets = sqliteTable(
  "registration_buckets",
  {
    isAdmin: integer("is_admin").notNull(),
    disabled: integer().notNull(),
    groups: text().notNull(),
    mask: integer().notNull(),
    n: integer().notNull(),
  },
  (t) => [primaryKey({ columns: [t.isAdmin, t.disabled, t.groups, t.mask] })],
);

/** directory.md: an agent beside the organisation's directory. Its secrets are stored as SHA-256 only. */
export const directoryAgents = sqliteTable("directory_agents", {
  id: text().primaryKey(),
  name: text().notNull(),
  /** One-time, valid one hour; cleared when used. */
  enrollmentTokenHash: text("enrollment_token_hash").unique(),
  enrollmentExpiresAt: integer("enrollment_expires_at"),
  credentialHash: text("credential_hash").unique(),
  /** RSA-OAEP public JWK: passwords in jobs are encrypted to it. */
  publicKey: text("public_key"),
  version: text(),
  createdAt: integer("created_at").notNull(),
  enrolledAt: integer("enrolled_at"),
  lastSeenAt: integer("last_seen_at"),
});

/** One row per sync the agent started; `GET /v1/admin/directory` shows the last finished one. */
export const directorySyncs = sqliteTable(
  "directory_syncs",
  {
    id: text().primaryKey(),
    agentId: text("agent_id").notNull(),
    startedAt: integer("started_at").notNull(),
    finishedAt: integer("finished_at"),
    /** The next page expected: pages are applied in order, a repeat or a gap is refused. */
    nextPage: integer("next_page").notNull().default(0),
    users: integer().notNull().default(0),
    /** Group names the agent read, summed over the pages (it sends each once): only the count is shown. */
    groupCount: integer("group_count").notNull().default(0),
    errors: text({ mode: "json" }).$type<string[]>().notNull(),
    /** The agent reported errors reading the directory: a half-read directory must not disable the users it missed. */
    incomplete: integer({ mode: "boolean" }).notNull().default(false),
  },
  (t) => [index("directory_syncs_finished").on(t.finishedAt)],
);

/**
 * A username an entry of a running sync asked for while a directory user this sync had not read yet
 * held it (sync/plan.ts). Settled when the sync finishes: a holder the sync never saw leaves the name
 * for the next sync to give; one it saw with the name keeps it, and the claim was a duplicate.
 */
export const directoryNameClaims = sqliteTable(
  "directory_name_claims",
  {
    syncId: text("sync_id")
      .notNull()
      .references(() => directorySyncs.id, { onDelete: "cascade" }),
    username: text().notNull(),
    holderId: text("holder_id").notNull(),
  },
  (t) => [primaryKey({ columns: [t.syncId, t.username] })],
);
