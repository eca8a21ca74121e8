import type { Policy } from "../../../shared/policy/schema.js";
import { iso } from "../clock.js";
import type { Message } from "../delivery/message.js";
import { accountUnlockedEmail, adminResetAlertEmail, adminUnlockAlertEmail, resetCompletedEmail } from "../delivery/templates.js";
import type { MethodRow, UserRow } from "../directory/views.js";
import { userLocale } from "../i18n/user-locale.js";
import { isAdminAccount } from "../registration/status.js";

export interface AdminContact {
  email: string | null;
}

export const unique = (addresses: (string | null | undefined)[]) => [...new Map(addresses.filter((a): a is string => !!a).map((a) => [a.toLowerCase(), a])).values()];

/**
 * Spec §7: "reset completed" (or "unlocked", issue 15) to every active email of the user and the
 * account's own email; when an admin account was reset or unlocked, an alert to every global admin.
 * Never a password.
 */
export function resetNotifications(o: {
  kind?: "reset" | "unlock";
  policy: Policy;
  user: UserRow;
  methods: MethodRow[];
  globalAdminEmails: string[];
  now: number;
  ip: string | null;
}): Message[] {
  const messages: Message[] = [];
  const at = iso(o.now);
  if (o.policy.notifications.notifyUserOnReset) {
    const to = unique([o.user.email, ...o.methods.filter((m) => m.type === "email" && m.status === "active").map((m) => m.target)]);
    for (const address of to) {
      const notice = o.kind === "unlock" ? accountUnlockedEmail : resetCompletedEmail;
      messages.push(notice({ to: address, locale: userLocale(o.user, o.policy), orgName: o.policy.orgName, username: o.user.username, at, ip: o.ip, helpdesk: o.policy.helpdesk }));
    }
  }
  if (o.policy.notifications.notifyAdminsOnAdminReset && isAdminAccount(o.user.roles)) {
    for (const address of unique(o.globalAdminEmails)) {
      const alert = o.kind === "unlock" ? adminUnlockAlertEmail : adminResetAlertEmail;
      messages.push(alert({ to: address, locale: o.policy.defaultLocale, orgName: o.policy.orgName, username: o.user.username, displayName: o.user.displayName, at, ip: o.ip }));
    }
  }
  return messages;
}
