import type { Locale } from "../../../shared/locale.js";
import { sql } from "drizzle-orm";
import { drizzle } from "drizzle-orm/d1";
import { auditInsert } from "../audit.js";
import { iso } from "../clock.js";
import type { Db } from "../context.js";
import { rawStatement } from "../db/raw.js";
import { outboxStatements, sendLater } from "../delivery/deliver.js";
import type { Message } from "../delivery/message.js";
import { passwordExpiryEmail } from "../delivery/templates.js";
import { userLocale } from "../i18n/user-locale.js";
import { directory } from "../directory/directory.js";
import { DAY_MS } from "../passwords/expiry.js";
import { currentPolicyQuery, policyFromRow } from "../policy/store.js";
import { unique } from "../resets/notifications.js";

/** Users claimed per statement: keeps each UPDATE, its RETURNING and the sends that follow bounded. */
const CHUNK = 500;

interface Claimed {
  id: string;
  username: string;
  email: string | null;
  locale: Locale | null;
  expiresAt: number;
  /** Days before expiry this notice is for; 0: the password has expired (recorded, not emailed). */
  days: number;
}

/**
 * The daily expiry reminders (issue 15): an email at the start of the notice window (`notifyDaysBefore`),
 * again 3 days and 1 day before, and a `password.expired` audit row once it has passed (what the reset
 * report counts). A run that missed a day sends only the nearest threshold, never a backlog.
 *
 * Never twice for one threshold: each user's state (the expiry the notices are for, the smallest
 * threshold sent) is claimed by one UPDATE … RETURNING whose condition reads that state, and D1 runs a
 * statement alone, so of two overlapping runs only one gets a given user's threshold and sends it. The
 * state is keyed by the expiry itself: a new password or a policy change moves it, which starts the
 * notices over without any write on those paths. Directory users are reminded too, of their
 * directory's expiry as last synced (docs/expiry-and-unlock.md): OpenSSPR is where they change it.
 */
export async function sendExpiryReminders(d1: D1Database, env: Env, now: number, waitUntil: (p: Promise<unknown>) => void) {
  const db = drizzle(d1) as unknown as Db;
  const [policyRow] = await currentPolicyQuery(db);
  const policy = policyFromRow(policyRow);
  const counts = { reminded: 0, expired: 0 };
  for (;;) {
    const claimed = (await claimDue(db, now, policy.passwordPolicy.expiry.notifyDaysBefore)).results;
    if (claimed.length === 0) return counts;
    const emails = await emailMethodsOf(db, claimed.map((c) => c.id));
    const statements = [];
    const messages: { userId: string; list: Message[] }[] = [];
    for (const user of claimed) {
      if (user.days === 0) {
        counts.expired++;
        statements.push(auditInsert(db, { type: "password.expired", at: now, subjectId: user.id, outcome: "success", detail: { expiresAt: iso(user.expiresAt) } }));
        continue;
      }
      counts.reminded++;
      const to = unique([user.email, ...(emails.get(user.id) ?? [])]);
      const list = to.map((address) =>
        passwordExpiryEmail({ to: address, locale: userLocale(user, policy), orgName: policy.orgName, username: user.username, expiresAt: iso(user.expiresAt), daysLeft: Math.ceil((user.expiresAt - now) / DAY_MS), helpdesk: policy.helpdesk }),
      );
      messages.push({ userId: user.id, list });
      statements.push(
        auditInsert(db, { type: "password.expiry_reminder_sent", at: now, subjectId: user.id, outcome: "success", detail: { daysBefore: user.days, expiresAt: iso(user.expiresAt), notified: list.length } }),
        ...outboxStatements(env, db, list, now),
      );
    }
    await db.batch(statements as [typeof statements[number], ...typeof statements]);
    for (const m of messages) sendLater({ env, db, now, userId: m.userId, waitUntil }, m.list, { reminder: true });
  }
}

/**
 * Claims up to CHUNK users whose password is due a notice it has not had, and returns them. `t` is the
 * nearest threshold reached (1, 3 or the window's start, those within the window), 0 once expired.
 */
function claimDue(db: Db, now: number, windowDays: number) {
  const expiresAt = directory.passwordExpiresAtSql;
  const threshold = sql`(case when e <= ${now} then 0 when e - ${now} <= ${DAY_MS} then 1
    when e - ${now} <= ${3 * DAY_MS} and ${windowDays} >= 3 then 3 when e - ${now} <= ${windowDays * DAY_MS} then ${windowDays} end)`;
  const query = sql`update users set expiry_notice_for = due.e, expiry_notice_days = due.t
    from (select id, e, t from (select id, e, f, d, ${threshold} as t
        from (select u.id, ${expiresAt} as e, u.expiry_notice_for as f, u.expiry_notice_days as d from users u where u.disabled = 0))
      where t is not null and (f is not e or d is null or d > t) limit ${CHUNK}) as due
    where users.id = due.id
    returning id, username, email, locale, expiry_notice_for as expiresAt, expiry_notice_days as days`;
  return rawStatement(db, query).then((r) => r as unknown as { results: Claimed[] });
}

/** Active email methods of the claimed users, by user. */
async function emailMethodsOf(db: Db, userIds: string[]): Promise<Map<string, string[]>> {
  const rows = await db.all<{ userId: string; target: string }>(
    sql`select user_id as userId, target from recovery_methods where type = 'email' and status = 'active' and target is not null
      and user_id in (select value from json_each(${JSON.stringify(userIds)}))`,
  );
  const byUser = new Map<string, string[]>();
  for (const row of rows) byUser.set(row.userId, [...(byUser.get(row.userId) ?? []), row.target]);
  return byUser;
}
