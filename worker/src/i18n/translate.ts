import type { Locale } from "../../../shared/locale.js";
import { CATALOGS } from "./messages/index.js";
import type { MessageKey } from "./messages/en.js";

export type Vars = Record<string, string | number>;

/** `{name}` → its value; a value never goes through this again, so text the user typed can't inject a placeholder. */
export function fill(template: string, vars: Vars = {}): string {
  return template.replace(/\{([a-zA-Z]+)\}/g, (whole, name: string) => (name in vars ? String(vars[name]) : whole));
}

export function translate(locale: Locale, key: MessageKey, vars?: Vars): string {
  return fill(CATALOGS[locale][key], vars);
}

/**
 * "7 December 2026 at 14:05 UTC" in the reader's language and script. UTC, said so: the worker does
 * not know the reader's time zone, and a time without its zone would mislead.
 */
export function formatTime(locale: Locale, at: number | string): string {
  return new Intl.DateTimeFormat(locale, { dateStyle: "long", timeStyle: "short", timeZone: "UTC" }).format(new Date(at)) + " UTC";
}

export function formatDate(locale: Locale, at: number | string): string {
  return new Intl.DateTimeFormat(locale, { dateStyle: "long", timeZone: "UTC" }).format(new Date(at));
}
