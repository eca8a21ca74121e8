import type { SQL } from "drizzle-orm";
import { sql } from "drizzle-orm";
import type { Policy } from "../../../shared/policy/schema.js";
import { iso } from "../clock.js";
import type { FlowContext } from "../context.js";
import { outboxStatements, sendLater } from "../delivery/deliver.js";
import type { MethodChange } from "../delivery/templates.js";
import { methodChangedEmail } from "../delivery/templates.js";
import type { MethodRow, UserRow } from "../directory/views.js";
import { userLocale } from "../i18n/user-locale.js";
import { countNow, incrementCounter } from "../limits/counters.js";
import { unique } from "../resets/notifications.js";

/**
 * "If this wasn't you" to the account's email and every active email method (issue 11), always: these
 * are security notices, not reset news. `methods` is the user's methods as read before the change, so:
 * - an added method is sent nothing itself (it was pending; the contract says "every other" address);
 * - a removed email that was active is still told, because removing the victim's own address is the
 *   step an attacker would take to silence exactly these notices; a pending one never proved it
 *   belongs to the user, and mailing it would let anyone send notices to any address.
 * Notify when a method becomes usable (verified, or questions saved), not when one is added pending: a
 * pending method cannot be used to reset, and an abandoned attempt is not worth an alarm.
 * At most NOTICE_LIMIT notices a day per user: adding and removing an app costs no code, so without it
 * a signed-in user could loop and mail the account's addresses without end (email bombing). Past it the
 * change still happens (refusing it would let an attacker wait out the notices) and stays in the audit log.
 * `statements` go into the write batch (a counter, then the dev outbox, only if `onlyIf` holds);
 * `send(results)` runs after it with the batch's results, and sends only if the counter allowed it.
 */
export function methodChangeNotice(ctx: FlowContext, o: { user: UserRow; methods: MethodRow[]; policy: Policy; method: MethodRow; change: MethodChange; onlyIf?: SQL }) {
  const activeEmails = o.methods.filter((m) => m.type === "email" && m.status === "active" && (o.change !== "added" || m.id !== o.method.id));
  const to = unique([o.user.email, ...activeEmails.map((m) => m.target)]);
  const messages = to.map((address) =>
    methodChangedEmail({ to: address, locale: userLocale(o.user, o.policy), orgName: o.policy.orgName, username: o.user.username, change: o.change, method: o.method, at: iso(ctx.now), ip: ctx.ip, helpdesk: o.policy.helpdesk }),
  );
  const limit = noticeLimit(o.user.id);
  const within = sql`${countNow(limit.key, ctx.now)} <= ${limit.max}`;
  return {
    statements: [incrementCounter(ctx.db, limit, ctx.now, o.onlyIf), ...outboxStatements(ctx.env, ctx.db, messages, ctx.now, o.onlyIf ? sql`${o.onlyIf} and ${within}` : within)],
    send: (results: unknown[]) => {
      const counted = results.flat().find((r): r is { key: string; count: number } => (r as { key?: unknown } | null)?.key === limit.key);
      if (counted && counted.count <= limit.max) sendLater({ ...ctx, userId: o.user.id }, messages, { reason: "method_changed", methodId: o.method.id });
    },
  };
}

/** Change notices per user per 24 h (see methodChangeNotice). */
const noticeLimit = (userId: string) => ({ key: `notice:user:${userId}`, max: 10, windowMs: 86_400_000 });
