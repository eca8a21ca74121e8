import { RTL_LOCALES, type Locale } from "../../../shared/locale.js";
import type { MethodType } from "../../../shared/policy/method-types.js";
import type { MessageKey } from "../i18n/messages/en.js";
import { formatDate, formatTime, translate } from "../i18n/translate.js";
import type { Message } from "./message.js";

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (ch) => `&#${ch.charCodeAt(0)};`);

export interface Helpdesk {
  url: string | null;
  email: string | null;
}

/** Every template speaks the recipient's language (issue 18); left out, English. */
interface Localised {
  locale?: Locale;
}

type Sentence = "notYou" | "notYouUnlock" | "needHelp" | "notAsked";

/** A whole sentence per case, never a phrase spliced into another: word order differs between languages. */
function helpdeskSentence(locale: Locale, sentence: Sentence, h: Helpdesk): string {
  const ways = [h.url, h.email].filter(Boolean).join(", ");
  return ways ? translate(locale, `${sentence}.helpdesk`, { ways }) : translate(locale, `${sentence}.itHelpdesk`);
}

function when(locale: Locale, at: string, ip: string | null): string {
  const time = formatTime(locale, at);
  return ip ? translate(locale, "time.atFromIp", { time, ip }) : translate(locale, "time.at", { time });
}

function html(locale: Locale, paragraphs: string[]): string {
  const body = paragraphs.map((p) => `<p style="margin:0 0 16px">${escapeHtml(p)}</p>`).join("");
  const dir = RTL_LOCALES.includes(locale) ? "rtl" : "ltr";
  return `<!doctype html><html lang="${locale}" dir="${dir}"><body style="font-family:system-ui,-apple-system,'Segoe UI',Roboto,sans-serif;font-size:16px;line-height:1.5;color:#1d2330">${body}</body></html>`;
}

function email(locale: Locale, to: string, subject: string, paragraphs: string[], code?: string): Message {
  return { channel: "email", to, subject, text: paragraphs.join("\n\n"), html: html(locale, paragraphs), ...(code ? { code } : {}) };
}

/** Messages carry no links: nothing is built from the request's Host header, which an attacker can set. */
export function codeEmail(o: Localised & { to: string; orgName: string; code: string; minutes: number | string; purpose: "registration" | "reset" }): Message {
  const l = o.locale ?? "en";
  const vars = { org: o.orgName, code: o.code, minutes: o.minutes };
  return email(
    l,
    o.to,
    translate(l, "code.subject", vars),
    [translate(l, "code.lead", vars), translate(l, o.purpose === "reset" ? "code.forReset" : "code.forRegistration", vars), translate(l, "code.ignore")],
    o.code,
  );
}

export function codeSms(o: Localised & { to: string; orgName: string; code: string; minutes: number | string }): Message {
  const l = o.locale ?? "en";
  const vars = { org: o.orgName, code: o.code, minutes: o.minutes };
  return { channel: "sms", to: o.to, subject: translate(l, "code.subject", vars), text: translate(l, "code.sms", vars), code: o.code };
}

type Notice = Localised & { to: string; orgName: string; username: string; at: string; ip: string | null; helpdesk: Helpdesk };
type AdminAlert = Localised & { to: string; orgName: string; username: string; displayName: string; at: string; ip: string | null };

/** After a self-service reset: never the password, always what to do if it was not the user. */
export function resetCompletedEmail(o: Notice): Message {
  const l = o.locale ?? "en";
  return email(l, o.to, translate(l, "reset.subject", { org: o.orgName }), [
    translate(l, "reset.body", { org: o.orgName, username: o.username, when: when(l, o.at, o.ip) }),
    translate(l, "reset.sessionsEnded"),
    helpdeskSentence(l, "notYou", o.helpdesk),
  ]);
}

export function adminResetAlertEmail(o: AdminAlert): Message {
  const l = o.locale ?? "en";
  return email(l, o.to, translate(l, "adminReset.subject", { org: o.orgName }), [
    translate(l, "adminReset.body", { displayName: o.displayName, username: o.username, when: when(l, o.at, o.ip) }),
    translate(l, "adminAlert.advice"),
  ]);
}

/** After a self-service unlock (issue 15): the password is unchanged, so say what to do if it was not the user. */
export function accountUnlockedEmail(o: Notice): Message {
  const l = o.locale ?? "en";
  return email(l, o.to, translate(l, "unlock.subject", { org: o.orgName }), [
    translate(l, "unlock.body", { org: o.orgName, username: o.username, when: when(l, o.at, o.ip) }),
    helpdeskSentence(l, "notYouUnlock", o.helpdesk),
  ]);
}

export function adminUnlockAlertEmail(o: AdminAlert): Message {
  const l = o.locale ?? "en";
  return email(l, o.to, translate(l, "adminUnlock.subject", { org: o.orgName }), [
    translate(l, "adminUnlock.body", { displayName: o.displayName, username: o.username, when: when(l, o.at, o.ip) }),
    translate(l, "adminAlert.advice"),
  ]);
}

/** The daily expiry reminder (issue 15): when, and how to change it; no link (see codeEmail). */
export function passwordExpiryEmail(o: Localised & { to: string; orgName: string; username: string; expiresAt: string; daysLeft: number; helpdesk: Helpdesk }): Message {
  const l = o.locale ?? "en";
  const tomorrow = o.daysLeft <= 1;
  const vars = { org: o.orgName, username: o.username, days: o.daysLeft, date: formatDate(l, o.expiresAt) };
  return email(l, o.to, translate(l, tomorrow ? "expiry.subjectTomorrow" : "expiry.subjectDays", vars), [
    translate(l, tomorrow ? "expiry.bodyTomorrow" : "expiry.bodyDays", vars),
    translate(l, "expiry.advice"),
    helpdeskSentence(l, "needHelp", o.helpdesk),
  ]);
}

export function adminSetPasswordEmail(o: Localised & { to: string; orgName: string; username: string; at: string; helpdesk: Helpdesk }): Message {
  const l = o.locale ?? "en";
  return email(l, o.to, translate(l, "adminSet.subject", { org: o.orgName }), [
    translate(l, "adminSet.body", { org: o.orgName, username: o.username, when: when(l, o.at, null) }),
    helpdeskSentence(l, "notAsked", o.helpdesk),
  ]);
}

export type MethodChange = "added" | "removed" | "answers_replaced";

const CHANGE_KEYS = {
  added: ["methodAdded.subject", "methodAdded.body", "methodAdded.effect"],
  removed: ["methodRemoved.subject", "methodRemoved.body", "methodRemoved.effect"],
  answers_replaced: ["answersReplaced.subject", "answersReplaced.body", "answersReplaced.effect"],
} as const satisfies Record<MethodChange, readonly [MessageKey, MessageKey, MessageKey]>;

/** The method in words, from its masked hint; an app's label is the requester's own text, so it stays out. */
function describeMethod(locale: Locale, m: { type: MethodType; hint: string }): string {
  switch (m.type) {
    case "email":
      return translate(locale, "method.email", { hint: m.hint });
    case "sms":
      return translate(locale, "method.sms", { hint: m.hint });
    case "totp":
      return translate(locale, "method.totp");
    case "security_questions":
      return translate(locale, "method.questions");
  }
}

/**
 * After a recovery method became usable, was removed, or got new answers (issue 11): whoever can change
 * recovery methods can reset the password, so the owner hears of every change. The method is described
 * from its masked hint only: never a full address or number, never a code, never text the requester typed.
 */
export function methodChangedEmail(
  o: Localised & { to: string; orgName: string; username: string; change: MethodChange; method: { type: MethodType; hint: string }; at: string; ip: string | null; helpdesk: Helpdesk },
): Message {
  const l = o.locale ?? "en";
  const [subject, lead, effect] = CHANGE_KEYS[o.change];
  return email(l, o.to, translate(l, subject, { org: o.orgName }), [
    translate(l, lead, { what: describeMethod(l, o.method), org: o.orgName, username: o.username, when: when(l, o.at, o.ip) }),
    translate(l, effect),
    helpdeskSentence(l, "notYou", o.helpdesk),
  ]);
}
