import type { SQL } from "drizzle-orm";
import { eq, sql } from "drizzle-orm";
import { DEFAULT_POLICY } from "../../../shared/policy/defaults.js";
import type { Db } from "../context.js";
import { hmacHex } from "../crypto/token-hash.js";
import { auditEvents, policies, sessions, signInLockouts as t, users } from "../db/schema.js";
import { rawStatement } from "../db/raw.js";
import { rateLimited } from "../errors.js";

/*
 * Smart lockout (spec §6), shared by POST /v1/sessions and POST /v1/me/password (one count per
 * normalised username, whether or not the account exists).
 *
 * An attempt is counted BEFORE its password is checked, so the count bounds the KDF evaluations:
 *   1. `countAttempt` (in the request's first batch) is one UPSERT on the lockout row. While the name is
 *      locked it changes nothing. If `signInThreshold` attempts have already been admitted and the
 *      lock is still unwritten (the last admitted one is being checked, or its worker died), it writes
 *      the lock now. Otherwise it adds 1, unless the fingerprint is one of the last three wrong
 *      passwords. `admitAttempt` answers 429 when the row it returns is locked, so at most
 *      `signInThreshold` new passwords are checked per lock period however many requests race.
 *   2. After the check, in the second batch: a wrong password records its fingerprint and, if it was
 *      the threshold-th attempt of the period (and no lock or success came in between), locks;
 *      `afterRightPassword` takes the attempt back out of the count, never touching a lock written
 *      meanwhile (a success must not unlock a name that other guesses locked).
 * Every condition is evaluated by SQLite on the row as it is when the statement runs (SET
 * expressions read the old row), and the lock settings are read from the current policy inside the
 * statement, so nothing depends on what this request read earlier.
 */

const MAX_LOCK_SECONDS = 3600;

/** A lockout setting of the current policy, read inside the statement (defaults before setup). */
const setting = (key: "signInThreshold" | "signInLockSeconds") =>
  sql`coalesce((select json_extract(${policies.settings}, ${`$.lockout.${key}`}) from ${policies} order by ${policies.version} desc limit 1), ${DEFAULT_POLICY.lockout[key]})`;

const threshold = setting("signInThreshold");
/** Epoch ms as the contract's ISO 8601 UTC string, inside SQL (for audit details written by SQL). */
const isoTime = (ms: SQL) => sql`strftime('%Y-%m-%dT%H:%M:%fZ', (${ms}) / 1000.0, 'unixepoch')`;
const locked = (now: number) => sql`(${t.lockedUntil} > ${now})`;
/** lockSeconds × 2^(earlier locks), at most 1 h, in ms. */
const lockMs = sql`(min(${setting("signInLockSeconds")} * (1 << min(${t.lockCount}, 12)), ${MAX_LOCK_SECONDS}) * 1000)`;
/** 0 or 1, never NULL (`x in (…)` is NULL when the list holds a null, as it does until three are recorded). */
const isRecentWrong = (fingerprint: string | null) =>
  fingerprint === null ? sql`0` : sql`exists (select 1 from json_each(${t.recentWrong}) where value = ${fingerprint})`;

/** Keyed with the server secret: a database dump alone cannot be used to test guesses against it. */
export const wrongPasswordFingerprint = (secret: string, username: string, password: string) =>
  hmacHex(secret, `lockout\0${username}\0${password.normalize("NFKC")}`);

/** Whose count an attempt goes to. */
export type AttemptSubject =
  /** Sign-in: the normalised username as typed, whether or not it exists. */
  | { username: string }
  /**
   * Password change and reauth: the user of this session, only if the session is valid (else nothing
   * is counted). `unlessMustChange`: nor if the user must change their password first, for a route
   * such a session may not use (the 403 comes before any password check, so nothing may be counted).
   */
  | { sessionTokenHash: string; unlessMustChange?: true };

/** The lockout row as the first batch left it: this attempt's place in the count. */
export interface Attempt {
  username: string;
  /** Attempts counted in this period, this one included if it was counted. */
  failures: number;
  lockCount: number;
  lockedUntil: number;
  /** Whether this attempt was counted in step 1 (a repeat of a recent wrong password is not). */
  counted: boolean;
}

/**
 * The `session.locked` row, written exactly when `locks` holds for the lockout row: placed before the
 * statement that locks, in the same batch, it sees the row as that statement will.
 */
const lockAudit = (db: Db, username: SQL, locks: SQL, now: number, ip: string | null) =>
  rawStatement(db, sql`insert into ${auditEvents} (at, type, actor_id, subject_id, ip, outcome, detail)
    select ${now}, 'session.locked', null, (select ${users.id} from ${users} where ${users.username} = ${t.username}), ${ip}, 'failure',
      json_object('username', ${t.username}, 'lockedUntil', ${isoTime(sql`${now} + ${lockMs}`)})
    from ${t} where ${t.username} = ${username} and ${locks}`);

const subjectUsername = (s: AttemptSubject, now: number): SQL =>
  "username" in s
    ? sql`${s.username}`
    : sql`(select ${users.username} from ${sessions} join ${users} on ${users.id} = ${sessions.userId}
        where ${sessions.tokenHash} = ${s.sessionTokenHash} and ${sessions.expiresAt} > ${now} and ${users.disabled} = 0
          ${s.unlessMustChange ? sql`and ${users.mustChangePassword} = 0` : sql``})`;

/**
 * Step 1, for the request's first batch: two statements (their results: an audit insert, then the
 * counted row). `fingerprint` is null where the username is not known yet (password change): that
 * attempt is counted, and given back in step 2 if it turns out to repeat a recent wrong password.
 */
export function countAttempt(db: Db, subject: AttemptSubject, fingerprint: string | null, now: number, ip: string | null) {
  const username = subjectUsername(subject, now);
  // Admitted attempts have filled the period but none has written the lock yet: lock now.
  const overdue = sql`(not ${locked(now)} and ${t.failures} >= ${threshold})`;
  const counts = sql`(not ${locked(now)} and not ${isRecentWrong(fingerprint)})`;
  return [
    // Before the UPSERT, on the same row in the same transaction: written exactly when it locks.
    lockAudit(db, username, overdue, now, ip),
    rawStatement(db, sql`insert into ${t} (username, failures, lock_count, locked_until, recent_wrong, updated_at)
      select name, 1, 0, 0, '[]', ${now} from (select ${username} as name) where name is not null
      on conflict (username) do update set
        failures = case when ${overdue} then 0 when ${counts} then ${t.failures} + 1 else ${t.failures} end,
        lock_count = case when ${overdue} then ${t.lockCount} + 1 else ${t.lockCount} end,
        locked_until = case when ${overdue} then ${now} + ${lockMs} else ${t.lockedUntil} end,
        updated_at = case when ${locked(now)} then ${t.updatedAt} else ${now} end
      returning username, failures, lock_count, locked_until, recent_wrong`),
  ] as const;
}

type RawRow = { username: string; failures: number; lock_count: number; locked_until: number; recent_wrong: string };

/**
 * The counted row from `countAttempt`'s second result. While the name is locked, answers 429
 * `rate_limited` with Retry-After: the password is not checked (a lock written by this very attempt
 * included). Undefined only if nothing was counted (a password change on an invalid session).
 */
export function admitAttempt(result: unknown, fingerprint: string | null, now: number): Attempt | undefined {
  const row = (result as { results?: RawRow[] }).results?.[0];
  if (!row) return undefined;
  if (row.locked_until > now) {
    throw rateLimited((row.locked_until - now) / 1000, "Too many wrong passwords. Try again later.");
  }
  const recent = JSON.parse(row.recent_wrong) as unknown[];
  return {
    username: row.username,
    failures: row.failures,
    lockCount: row.lock_count,
    lockedUntil: row.locked_until,
    counted: fingerprint === null || !recent.includes(fingerprint),
  };
}

/** No lock and no success has restarted the count since this attempt was counted. */
const samePeriod = (a: Attempt, now: number) => sql`(${t.lockCount} = ${a.lockCount} and not ${locked(now)})`;

/**
 * Step 2 after a wrong password: records its fingerprint (the last three are kept); gives the attempt
 * back if it repeats one of them after all (a concurrent identical guess, or a password change, whose
 * fingerprint could not be checked in step 1); locks for lockSeconds × 2^(earlier locks), at most 1 h,
 * if it was the threshold-th attempt of the period and the count is still full. A lock restarts the count.
 */
export function afterWrongPassword(db: Db, a: Attempt, fingerprint: string, now: number, ip: string | null) {
  const repeated = isRecentWrong(fingerprint);
  const giveBack = sql`(${a.counted ? 1 : 0} and ${repeated} and ${samePeriod(a, now)})`;
  const locks = sql`(${a.counted ? 1 : 0} and not ${repeated} and ${a.failures} >= ${threshold} and ${t.failures} >= ${threshold} and ${samePeriod(a, now)})`;
  return [
    lockAudit(db, sql`${a.username}`, locks, now, ip),
    db
      .update(t)
      .set({
        failures: sql`case when ${locks} then 0 when ${giveBack} then max(${t.failures} - 1, 0) else ${t.failures} end`,
        lockCount: sql`case when ${locks} then ${t.lockCount} + 1 else ${t.lockCount} end`,
        lockedUntil: sql`case when ${locks} then ${now} + ${lockMs} else ${t.lockedUntil} end`,
        recentWrong: sql`case when ${repeated} then ${t.recentWrong} else json_array(${fingerprint}, json_extract(${t.recentWrong}, '$[0]'), json_extract(${t.recentWrong}, '$[1]')) end`,
        updatedAt: now,
      })
      .where(eq(t.username, a.username)),
  ] as const;
}

/**
 * Step 2 after a right password. "clear" (sign-in): the count restarts, like a sequential sign-in
 * would leave it: attempts counted after this one (still being checked) stay counted, the earlier
 * ones and the recent fingerprints go, and so does the doubling. "give-back" (password change): only
 * this attempt is taken out of the count. Neither touches a lock written since step 1.
 */
export function afterRightPassword(db: Db, a: Attempt, now: number, mode: "clear" | "give-back") {
  if (mode === "give-back") {
    return [
      db
        .update(t)
        .set({ failures: sql`max(${t.failures} - ${a.counted ? 1 : 0}, 0)` })
        .where(sql`${t.username} = ${a.username} and ${samePeriod(a, now)}`),
    ] as const;
  }
  return [
    db.delete(t).where(sql`${t.username} = ${a.username} and ${samePeriod(a, now)} and ${t.failures} <= ${a.failures}`),
    db
      .update(t)
      .set({ failures: sql`${t.failures} - ${a.failures}`, lockCount: 0, recentWrong: "[]", updatedAt: now })
      .where(sql`${t.username} = ${a.username} and ${samePeriod(a, now)} and ${t.failures} > ${a.failures}`),
  ] as const;
}
