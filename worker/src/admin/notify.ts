import type { SQL } from "drizzle-orm";
import type { Context } from "hono";
import type { Policy } from "../../../shared/policy/schema.js";
import { iso } from "../clock.js";
import type { AppEnv } from "../context.js";
import { outboxStatements, sendLater } from "../delivery/deliver.js";
import { adminSetPasswordEmail } from "../delivery/templates.js";
import { userLocale } from "../i18n/user-locale.js";
import type { MethodRow, UserRow } from "../directory/views.js";

const unique = (addresses: (string | null)[]) => [...new Map(addresses.filter((a): a is string => !!a).map((a) => [a.toLowerCase(), a])).values()];

/**
 * The one place the "an administrator reset your password" email is built (issue 5, spec §7): to the
 * account's email and every active email method, like the self-service "reset completed" email, and
 * under the same switch (`notifications.notifyUserOnReset`). Never the password. `statements` go into
 * the write batch (dev outbox, only if `onlyIf` holds); `send` runs after it has committed.
 */
export function passwordSetByAdminNotice(c: Context<AppEnv>, o: { user: UserRow; methods: MethodRow[]; policy: Policy; onlyIf: SQL }) {
  const now = c.get("now");
  const db = c.get("db");
  const to = o.policy.notifications.notifyUserOnReset
    ? unique([o.user.email, ...o.methods.filter((m) => m.type === "email" && m.status === "active").map((m) => m.target)])
    : [];
  const messages = to.map((address) =>
    adminSetPasswordEmail({ to: address, locale: userLocale(o.user, o.policy), orgName: o.policy.orgName, username: o.user.username, at: iso(now), helpdesk: o.policy.helpdesk }),
  );
  return {
    statements: outboxStatements(c.env, db, messages, now, o.onlyIf),
    send: () => sendLater({ env: c.env, db, now, userId: o.user.id, waitUntil: (p) => c.executionCtx.waitUntil(p) }, messages, { reason: "admin_password_set" }),
  };
}
