import type { Message } from "./message.js";

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (ch) => `&#${ch.charCodeAt(0)};`);

export interface Helpdesk {
  url: string | null;
  email: string | null;
}

function helpdeskLine(h: Helpdesk): string {
  const ways = [h.url, h.email].filter(Boolean);
  return ways.length ? `contact your helpdesk (${ways.join(", ")})` : "contact your IT helpdesk";
}

function html(paragraphs: string[]): string {
  const body = paragraphs.map((p) => `<p style="margin:0 0 16px">${escapeHtml(p)}</p>`).join("");
  return `<!doctype html><html><body style="font-family:system-ui,-apple-system,'Segoe UI',Roboto,sans-serif;font-size:16px;line-height:1.5;color:#1d2330">${body}</body></html>`;
}

function email(to: string, subject: string, paragraphs: string[], code?: string): Message {
  return { channel: "email", to, subject, text: paragraphs.join("\n\n"), html: html(paragraphs), ...(code ? { code } : {}) };
}

/** Messages carry no links: nothing is built from the request's Host header, which an attacker can set. */
export function codeEmail(o: { to: string; orgName: string; code: string; minutes: number | string; purpose: "registration" | "reset" }): Message {
  const why = o.purpose === "reset" ? "to reset your password" : "to confirm this email address as a recovery method";
  return email(
    o.to,
    `${o.orgName}: your verification code`,
    [
      `Your ${o.orgName} verification code is ${o.code}`,
      `Enter it ${why}. It expires in ${o.minutes} minutes and works once.`,
      "If you did not ask for it, ignore this email. Never share the code with anyone, including IT staff.",
    ],
    o.code,
  );
}

export function codeSms(o: { to: string; orgName: string; code: string; minutes: number | string }): Message {
  return {
    channel: "sms",
    to: o.to,
    subject: `${o.orgName}: your verification code`,
    text: `${o.code} is your ${o.orgName} verification code. It expires in ${o.minutes} minutes. Never share it.`,
    code: o.code,
  };
}

/** After a self-service reset: never the password, always what to do if it was not the user. */
export function resetCompletedEmail(o: { to: string; orgName: string; username: string; at: string; ip: string | null; helpdesk: Helpdesk }): Message {
  return email(o.to, `${o.orgName}: your password was reset`, [
    `The password of your ${o.orgName} account ${o.username} was reset at ${o.at}${o.ip ? ` from IP address ${o.ip}` : ""}.`,
    "All your signed-in sessions were ended.",
    `If this wasn't you, ${helpdeskLine(o.helpdesk)} immediately.`,
  ]);
}

export function adminResetAlertEmail(o: { to: string; orgName: string; username: string; displayName: string; at: string; ip: string | null }): Message {
  return email(o.to, `${o.orgName}: an admin account's password was reset`, [
    `The password of the admin account ${o.displayName} (${o.username}) was reset through self-service at ${o.at}${o.ip ? ` from IP address ${o.ip}` : ""}.`,
    "If that was not expected, disable the account and investigate.",
  ]);
}

/** After a self-service unlock (issue 15): the password is unchanged, so say what to do if it was not the user. */
export function accountUnlockedEmail(o: { to: string; orgName: string; username: string; at: string; ip: string | null; helpdesk: Helpdesk }): Message {
  return email(o.to, `${o.orgName}: your account was unlocked`, [
    `Your ${o.orgName} account ${o.username} was unlocked through self-service at ${o.at}${o.ip ? ` from IP address ${o.ip}` : ""}. Your password was not changed.`,
    `If this wasn't you, reset your password and ${helpdeskLine(o.helpdesk)} immediately.`,
  ]);
}

export function adminUnlockAlertEmail(o: { to: string; orgName: string; username: string; displayName: string; at: string; ip: string | null }): Message {
  return email(o.to, `${o.orgName}: an admin account was unlocked`, [
    `The admin account ${o.displayName} (${o.username}) was unlocked through self-service at ${o.at}${o.ip ? ` from IP address ${o.ip}` : ""}.`,
    "If that was not expected, disable the account and investigate.",
  ]);
}

/** The daily expiry reminder (issue 15): when, and how to change it; no link (see codeEmail). */
export function passwordExpiryEmail(o: { to: string; orgName: string; username: string; expiresAt: string; daysLeft: number; helpdesk: Helpdesk }): Message {
  const when = o.daysLeft <= 1 ? "tomorrow" : `in ${o.daysLeft} days`;
  return email(o.to, `${o.orgName}: your password expires ${when}`, [
    `The password of your ${o.orgName} account ${o.username} expires ${when} (${o.expiresAt}).`,
    "Change it before then: sign in and choose a new password, or use self-service password reset. After it expires you will have to change it when you next sign in.",
    `If you need help, ${helpdeskLine(o.helpdesk)}.`,
  ]);
}

export function adminSetPasswordEmail(o: { to: string; orgName: string; username: string; at: string; helpdesk: Helpdesk }): Message {
  return email(o.to, `${o.orgName}: an administrator reset your password`, [
    `An administrator set a temporary password for your ${o.orgName} account ${o.username} at ${o.at}. You will be asked to choose a new one when you sign in.`,
    `If you did not ask for this, ${helpdeskLine(o.helpdesk)}.`,
  ]);
}

export type MethodChange = "added" | "removed" | "answers_replaced";

/**
 * After a recovery method became usable, was removed, or got new answers (issue 11): whoever can change
 * recovery methods can reset the password, so the owner hears of every change. `what` is built from
 * masked hints only: never a full address or number, never a code, never text the requester typed.
 */
export function methodChangedEmail(o: { to: string; orgName: string; username: string; change: MethodChange; what: string; at: string; ip: string | null; helpdesk: Helpdesk }): Message {
  const account = `your ${o.orgName} account ${o.username}`;
  const when = `at ${o.at}${o.ip ? ` from IP address ${o.ip}` : ""}`;
  const wording: Record<MethodChange, [subject: string, lead: string, effect: string]> = {
    added: ["a recovery method was added", `${o.what} was added as a recovery method of ${account} ${when}.`, "It can now be used to reset your password."],
    removed: ["a recovery method was removed", `${o.what} was removed from the recovery methods of ${account} ${when}.`, "It can no longer be used to reset your password."],
    answers_replaced: ["your security questions were changed", `New answers to the security questions of ${account} were saved ${when}.`, "The new answers can now be used to reset your password."],
  };
  const [subject, lead, effect] = wording[o.change];
  return email(o.to, `${o.orgName}: ${subject}`, [
    lead,
    effect,
    `If this wasn't you, ${helpdeskLine(o.helpdesk)} immediately.`,
  ]);
}
