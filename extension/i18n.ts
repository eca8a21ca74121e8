import { browser } from "wxt/browser";

/** Keys of public/_locales/en/messages.json, typed by `wxt prepare` so a missing string fails typecheck. */
export type MessageKey = Parameters<typeof browser.i18n.getMessage>[0];

/** Finds a message in the user's locale, falling back to English; "" when neither has it. */
export type MessageLookup = (key: MessageKey, substitutions: string[]) => string;

let lookup: MessageLookup = (key, substitutions) => browser.i18n.getMessage(key, substitutions);

/**
 * For pages outside the extension (the worker's web pages, web/self-service), which have no
 * browser.i18n: they read the same _locales files themselves. Called once, before anything renders.
 */
export function setMessageLookup(outsideExtension: MessageLookup): void {
  lookup = outsideExtension;
}

/** Every user-facing string goes through here so translations only add a messages.json. */
export function t(key: MessageKey, ...substitutions: (string | number)[]): string {
  const text = lookup(key, substitutions.map(String));
  // An empty answer means the key is missing in this locale and in English: show the key, not nothing.
  return text || key;
}

const RTL_LANGUAGES = new Set(["ar", "fa", "he", "ps", "ur", "yi"]);

/**
 * "rtl" for Arabic: the direction of the strings actually shown (the locale files' htmlLang), not
 * Chrome's @@bidi_dir, which follows the browser's own UI and can disagree with the messages' locale.
 */
export function uiDirection(): "ltr" | "rtl" {
  return RTL_LANGUAGES.has(t("htmlLang").split("-")[0]!.toLowerCase()) ? "rtl" : "ltr";
}

/** The language and direction of the strings actually shown, so screen readers pronounce them right and Arabic lays out mirrored. */
export function setPageLanguage(root: HTMLElement): void {
  root.lang = t("htmlLang");
  root.dir = uiDirection();
}

/** "23 hours", "5 minutes", "30 seconds": rounded up, so the user is never told to come back too early. */
export function formatWait(seconds: number): string {
  const s = Math.max(1, Math.ceil(seconds));
  if (s < 60) return s === 1 ? t("durationSecond") : t("durationSeconds", s);
  const minutes = Math.ceil(s / 60);
  if (minutes < 60) return minutes === 1 ? t("durationMinute") : t("durationMinutes", minutes);
  const hours = Math.ceil(s / 3600);
  return hours === 1 ? t("durationHour") : t("durationHours", hours);
}

/** "45 seconds", "1 second": a countdown that stays in seconds, for a button that ticks each second. */
export function formatSeconds(seconds: number): string {
  const s = Math.max(1, Math.ceil(seconds));
  return s === 1 ? t("durationSecond") : t("durationSeconds", s);
}
