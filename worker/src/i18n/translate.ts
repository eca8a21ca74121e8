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
  return formatter(timeFormats, locale, { dateStyle: "long", timeStyle: "short", timeZone: "UTC" }).format(new Date(at)) + " UTC";
}

export function formatDate(locale: Locale, at: number | string): string {
  return formatter(dateFormats, locale, { dateStyle: "long", timeZone: "UTC" }).format(new Date(at));
}

// One formatter per locale, made on first use: the expiry-reminder cron formats hundreds of dates a run.
const timeFormats = new Map<Locale, Intl.DateTimeFormat>();
const dateFormats = new Map<Locale, Intl.DateTimeFormat>();

function formatter(cache: Map<Locale, Intl.DateTimeFormat>, locale: Locale, options: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
  let made = cache.get(locale);
  if (!made) cache.set(locale, (made = new Intl.DateTimeFormat(locale, options)));
  return made;
}
