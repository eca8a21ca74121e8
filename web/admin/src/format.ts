import type { Role } from "../../../shared/api/common.js";

const ROLE_NAMES: Record<Role, string> = { user: "User", password_admin: "Password admin", global_admin: "Global admin" };
export const roleName = (role: Role) => ROLE_NAMES[role];

const METHOD_NAMES: Record<string, string> = { email: "Email", sms: "Text message", totp: "Authenticator app", security_questions: "Security questions" };
export const methodName = (type: string) => METHOD_NAMES[type] ?? type;

/** "1 row", "3 rows": the count with the noun that fits it. */
export const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

/** A language in its own name ("Deutsch", "日本語"), as a person looking for theirs reads it. */
export function languageName(locale: string): string {
  const name = new Intl.DisplayNames([locale], { type: "language" }).of(locale) ?? locale;
  return name.charAt(0).toLocaleUpperCase(locale) + name.slice(1);
}

const dateTime = new Intl.DateTimeFormat(undefined, { dateStyle: "medium", timeStyle: "short" });

/** A time from the API as the reader's local date and time; `never` for a null one. */
export function when(iso: string | null, never = "Never"): string {
  return iso ? dateTime.format(new Date(iso)) : never;
}

/** Whether a "until" time from the API is still ahead. */
export const stillAhead = (iso: string | null, now = Date.now()) => iso !== null && Date.parse(iso) > now;

export function waitSentence(seconds: number): string {
  if (seconds < 90) return `Try again in ${seconds} seconds.`;
  const minutes = Math.ceil(seconds / 60);
  if (minutes < 90) return `Try again in ${minutes} minutes.`;
  return `Try again in ${Math.ceil(minutes / 60)} hours.`;
}
