import type { SQL } from "drizzle-orm";
import { eq, sql } from "drizzle-orm";
import { DEFAULT_POLICY } from "../../../shared/policy/defaults.js";
import type { Db } from "../context.js";
import { hmacHex } from "../crypto/token-hash.js";
import { auditEvents, policies, sessions, signInLockouts as t, users } from "../db/schema.js";
import { rawStatement } from "../db/raw.js";
import { directory } from "../directory/directory.js";
import { rateLimited } from "../errors.js";

/*
 * Smart lockout (spec §6), shared by POST /v1/sessions and POST /v1/me/password (one count per
 * normalised username, whether or not the account exists), with a hard cap on top.
 *
 * Two counts, moved together: `failures` (attempts in this lock period) and `consecutive_failures`
 * (since the last successful sign-in, admin unlock or password set, or completed reset: those delete
 * the row or restart it; a lock's end does not). The row is *full* when failures reach `signInThreshold` or the
 * consecutive count reaches HARD_CAP (100, NIST SP 800-63B §5.2.2). A full row is locked: for
 * lockSeconds × 2^(earlier locks), at most 1 h, or, at the hard cap, until HARD_LOCK_UNTIL (year 9999),
 * which no clock reaches: only an admin (unlock, or a password set) or a completed reset ends it, by
 * deleting the row.
 *
 * An attempt is counted BEFORE its password is checked, so the counts bound the KDF evaluations:
 *   1. `countAttempt` (in the request's first batch) is one UPSERT on the lockout row. While the name is
 *      locked it changes nothing. If the row is full and the lock is still unwritten (the last
 *      admitted attempt is being checked, or its worker died), it writes the lock now. Otherwise it
 *      adds 1 to both counts, unless the fingerprint is one of the last three wrong passwords.
 *      `admitAttempt` answers 429 when the row it returns is locked, so at most `signInThreshold` new
 *      passwords are checked per lock period, and at most HARD_CAP in a row, however many requests race.
 *   2. After the check, in the second batch: a wrong password records its fingerprint and, if it was
 *      the attempt that filled the row (and no lock or success came in between, and the row is still
 *      full), locks; `afterRightPassword` takes the attempt back out of the counts, never touching a
 *      lock written meanwhile (a success must not unlock a name that other guesses locked).
 * Sign-in puts its per-client count (flows/sign-in.ts) before step 1 in the same batch: it counts only
 * attempts `wouldBeChecked` admits, and step 1's `onlyIf` skips the name's row when that count is over
 * (nothing returned: the client's 429), so a refused request changes neither the row nor its audit.
 * Within a period both counts change by the same steps (a lock restarts `failures` only), so
 * `consecutive_failures - failures` is constant until the next lock: step 2 can restart the
 * consecutive count from `failures` alone. Every condition is evaluated by SQLite on the row as it is
 * when the statement runs (SET expressions read the old row), and the lock settings are read from the
 * current policy inside the statement, so nothing depends on what this request read earlier.
 */

const MAX_LOCK_SECONDS = 3600;
/** NIST SP 800-63B §5.2.2: no more than 100 consecutive failed attempts on one account. */
const HARD_CAP = 100;
/** The lock of a name at the hard cap: shown as such (AdminUser.lockedUntil, the audit row), ended by no clock. */
const HARD_LOCK_UNTIL = Date.UTC(9999, 11, 31, 23, 59, 59, 999);
/**
 * Retry-After of a hard lock. It has no end time; a day is the honest hint: nothing frees it sooner
 * but an admin (the helpdesk) or the user's own reset, and a client should not retry before then.
 */
const HARD_LOCK_RETRY_AFTER_SECONDS = 86_400;

/** A lockout setting of the current policy, read inside the statement (defaults before setup). */
const setting = (key: "signInThreshold" | "signInLockSeconds") =>
  sql`coalesce((select json_extract(${policies.settings}, ${`$.lockout.${key}`}) from ${policies} order by ${policies.version} desc limit 1), ${DEFAULT_POLICY.lockout[key]})`;

const threshold = setting("signInThreshold");
/** Epoch ms as the contract's ISO 8601 UTC string, inside SQL (for audit details written by SQL). */
const isoTime = (ms: SQL) => sql`strftime('%Y-%m-%dT%H:%M:%fZ', (${ms}) / 1000.0, 'unixepoch')`;
const locked = (now: number) => sql`(${t.lockedUntil} > ${now})`;
/** lockSeconds × 2^(earlier locks), at most 1 h, in ms. */
const lockMs = sql`(min(${setting("signInLockSeconds")} * (1 << min(${t.lockCount}, 12)), ${MAX_LOCK_SECONDS}) * 1000)`;
const atHardCap = sql`(${t.consecutiveFailures} >= ${HARD_CAP})`;
/** The row has admitted all it may: the period's share, or the hard cap. */
const full = sql`(${t.failures} >= ${threshold} or ${atHardCap})`;
/** Where a lock written now ends (on the row before the statement that writes it). */
const lockEnd = (now: number) => sql`(case when ${atHardCap} then ${HARD_LOCK_UNTIL} else ${now} + ${lockMs} end)`;
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
   * is counted). `unlessMustChange`: nor if the user must change their password first (flagged, or expired), for a route
   * such a session may not use (the 403 comes before any password check, so nothing may be counted).
   */
  | { sessionTokenHash: string; unlessMustChange?: true };

/** The lockout row as the first batch left it: this attempt's place in the count. */
export interface Attempt {
  username: string;
  /** Attempts counted in this period, this one included if it was counted. */
  failures: number;
  /** Attempts counted since the last success, unlock or reset, this one included if it was counted. */
  consecutiveFailures: number;
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
      json_object('username', ${t.username}, 'lockedUntil', ${isoTime(lockEnd(now))}, 'hardLocked', json(case when ${atHardCap} then 'true' else 'false' end))
    from ${t} where ${t.username} = ${username} and ${locks}`);

const subjectUsername = (s: AttemptSubject, now: number): SQL =>
  "username" in s
    ? sql`${s.username}`
    : sql`(select u.username from ${sessions} join ${users} u on u.id = ${sessions.userId}
        where ${sessions.tokenHash} = ${s.sessionTokenHash} and ${sessions.expiresAt} > ${now} and u.disabled = 0
          ${s.unlessMustChange ? sql`and u.must_change_password = 0 and coalesce(${directory.passwordExpiresAtSql} > ${now}, 1)` : sql``})`;

/**
 * Whether a sign-in attempt for `username` would be admitted to the password check (not a locked or
 * full row), as SQL for a statement placed before `countAttempt` in the same batch: what the per-client
 * sign-in limit counts.
 */
export const wouldBeChecked = (username: string, now: number): SQL =>
  sql`not exists (select 1 from ${t} where ${t.username} = ${username} and (${locked(now)} or ${full}))`;

/**
 * Step 1, for the request's first batch: two statements (their results: an audit insert, then the
 * counted row). `fingerprint` is null where the username is not known yet (password change): that
 * attempt is counted, and given back in step 2 if it turns out to repeat a recent wrong password.
 * `onlyIf` (a condition on an earlier statement of the batch) leaves the row untouched and returns
 * nothing when it fails.
 */
export function countAttempt(db: Db, subject: AttemptSubject, fingerprint: string | null, now: number, ip: string | null, onlyIf: SQL = sql`1`) {
  const username = subjectUsername(subject, now);
  // Admitted attempts have filled the row but none has written the lock yet: lock now.
  const overdue = sql`(not ${locked(now)} and ${full})`;
  const counts = sql`(not ${locked(now)} and not ${isRecentWrong(fingerprint)})`;
  return [
    // Before the UPSERT, on the same row in the same transaction: written exactly when it locks.
    lockAudit(db, username, sql`${overdue} and ${onlyIf}`, now, ip),
    rawStatement(db, sql`insert into ${t} (username, failures, lock_count, locked_until, recent_wrong, updated_at, consecutive_failures)
      select name, 1, 0, 0, '[]', ${now}, 1 from (select ${username} as name) where name is not null and ${onlyIf}
      on conflict (username) do update set
        failures = case when ${overdue} then 0 when ${counts} then ${t.failures} + 1 else ${t.failures} end,
        consecutive_failures = case when ${overdue} then ${t.consecutiveFailures} when ${counts} then ${t.consecutiveFailures} + 1 else ${t.consecutiveFailures} end,
        lock_count = case when ${overdue} then ${t.lockCount} + 1 else ${t.lockCount} end,
        locked_until = case when ${overdue} then ${lockEnd(now)} else ${t.lockedUntil} end,
        updated_at = case when ${locked(now)} then ${t.updatedAt} else ${now} end
      returning username, failures, consecutive_failures, lock_count, locked_until, recent_wrong`),
  ] as const;
}

type RawRow = { username: string; failures: number; consecutive_failures: number; lock_count: number; locked_until: number; recent_wrong: string };

/**
 * The counted row from `countAttempt`'s second result. While the name is locked, answers 429
 * `rate_limited` with Retry-After: the password is not checked (a lock written by this very attempt
 * included). Undefined only if nothing was counted (a password change on an invalid session).
 */
export function admitAttempt(result: unknown, fingerprint: string | null, now: number): Attempt | undefined {
  const row = (result as { results?: RawRow[] }).results?.[0];
  if (!row) return undefined;
  if (row.locked_until >= HARD_LOCK_UNTIL) {
    throw rateLimited(HARD_LOCK_RETRY_AFTER_SECONDS, "Too many wrong passwords. Reset your password or ask your helpdesk to unlock the account.");
  }
  if (row.locked_until > now) {
    throw rateLimited((row.locked_until - now) / 1000, "Too many wrong passwords. Try again later.");
  }
  const recent = JSON.parse(row.recent_wrong) as unknown[];
  return {
    username: row.username,
    failures: row.failures,
    consecutiveFailures: row.consecutive_failures,
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
 * fingerprint could not be checked in step 1); locks (see `lockEnd`) if it was the attempt that filled
 * the row (the threshold-th of the period, or the HARD_CAP-th in a row) and the row is still full. A
 * lock restarts the period's count, not the consecutive one.
 */
export function afterWrongPassword(db: Db, a: Attempt, fingerprint: string, now: number, ip: string | null) {
  const repeated = isRecentWrong(fingerprint);
  const giveBack = sql`(${a.counted ? 1 : 0} and ${repeated} and ${samePeriod(a, now)})`;
  const filled = sql`(${a.failures} >= ${threshold} or ${a.consecutiveFailures} >= ${HARD_CAP})`;
  const locks = sql`(${a.counted ? 1 : 0} and not ${repeated} and ${filled} and ${full} and ${samePeriod(a, now)})`;
  return [
    lockAudit(db, sql`${a.username}`, locks, now, ip),
    db
      .update(t)
      .set({
        failures: sql`case when ${locks} then 0 when ${giveBack} then max(${t.failures} - 1, 0) else ${t.failures} end`,
        consecutiveFailures: sql`case when ${giveBack} then max(${t.consecutiveFailures} - 1, 0) else ${t.consecutiveFailures} end`,
        lockCount: sql`case when ${locks} then ${t.lockCount} + 1 else ${t.lockCount} end`,
        lockedUntil: sql`case when ${locks} then ${lockEnd(now)} else ${t.lockedUntil} end`,
        recentWrong: sql`case when ${repeated} then ${t.recentWrong} else json_array(${fingerprint}, json_extract(${t.recentWrong}, '$[0]'), json_extract(${t.recentWrong}, '$[1]')) end`,
        updatedAt: now,
      })
      .where(eq(t.username, a.username)),
  ] as const;
}

/**
 * Step 2 after a right password. "clear" (sign-in): both counts restart, like a sequential sign-in
 * would leave them: attempts counted after this one (still being checked) stay counted, the earlier
 * ones and the recent fingerprints go, and so does the doubling. "give-back" (password change): only
 * this attempt is taken out of the counts. Neither touches a lock written since step 1. With `onlyIf`,
 * nothing changes unless it holds (the attempt then stays counted, as a wrong password's does).
 */
export function afterRightPassword(db: Db, a: Attempt, now: number, mode: "clear" | "give-back", onlyIf: SQL = sql`1`) {
  if (mode === "give-back") {
    const back = a.counted ? 1 : 0;
    return [
      db
        .update(t)
        .set({ failures: sql`max(${t.failures} - ${back}, 0)`, consecutiveFailures: sql`max(${t.consecutiveFailures} - ${back}, 0)` })
        .where(sql`${t.username} = ${a.username} and ${samePeriod(a, now)} and ${onlyIf}`),
    ] as const;
  }
  // Same period: the attempts counted after this one are `failures - a.failures` in both counts.
  const later = sql`${t.failures} - ${a.failures}`;
  return [
    db.delete(t).where(sql`${t.username} = ${a.username} and ${samePeriod(a, now)} and ${t.failures} <= ${a.failures} and ${onlyIf}`),
    db
      .update(t)
      .set({ failures: later, consecutiveFailures: later, lockCount: 0, recentWrong: "[]", updatedAt: now })
      .where(sql`${t.username} = ${a.username} and ${samePeriod(a, now)} and ${t.failures} > ${a.failures} and ${onlyIf}`),
  ] as const;
}
