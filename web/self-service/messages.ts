import type { MessageKey, MessageLookup } from "../../extension/i18n.js";

/**
 * The extension's strings for the worker's web pages, which have no browser.i18n: the same
 * _locales/<lang>/messages.json files, read with Chrome's rules (the user's languages in order, a
 * region falling back to its language, then English; `$NAME$` placeholders and `$1` substitutions).
 * Found by glob, so a locale folder added later is offered with no change here.
 */

interface Entry {
  message: string;
  placeholders?: Record<string, { content: string }>;
}
type Messages = Record<string, Entry>;

const FILES = import.meta.glob<Messages>("../../extension/public/_locales/*/messages.json", { import: "default" });
const DEFAULT_LOCALE = "en";

const folderOf = (path: string) => path.split("/").at(-2) ?? "";
const fileOf = (locale: string) => Object.keys(FILES).find((path) => folderOf(path) === locale);

/** The locale folder for the first of the user's languages that has one ("pt-BR" → pt_BR, else pt), else English. */
export function chooseLocale(languages: readonly string[], folders: readonly string[]): string {
  const byLowerCase = new Map(folders.map((f) => [f.toLowerCase(), f]));
  for (const tag of languages) {
    const wanted = tag.replace(/-/g, "_").toLowerCase();
    const found = byLowerCase.get(wanted) ?? byLowerCase.get(wanted.split("_")[0] ?? "");
    if (found) return found;
  }
  return DEFAULT_LOCALE;
}

/** Chrome's message format: placeholders first (their content may hold `$1`…), then substitutions; `$$` is a dollar. */
export function formatMessage(entry: Entry, substitutions: readonly string[]): string {
  const placeholders = new Map(Object.entries(entry.placeholders ?? {}).map(([name, p]) => [name.toLowerCase(), p.content]));
  const named = entry.message.replace(/\$([A-Za-z0-9_@]+)\$/g, (whole, name: string) => placeholders.get(name.toLowerCase()) ?? whole);
  return named.replace(/\$(\$|[1-9])/g, (_, which: string) => (which === "$" ? "$" : (substitutions[Number(which) - 1] ?? "")));
}

export function lookupIn(chosen: Messages, fallback: Messages): MessageLookup {
  return (key: MessageKey, substitutions: string[]) => {
    const entry = chosen[key] ?? fallback[key];
    return entry ? formatMessage(entry, substitutions) : "";
  };
}

/** Loads the user's locale and English (for keys a translation lacks). */
export async function loadMessages(languages: readonly string[] = navigator.languages): Promise<MessageLookup> {
  const locale = chooseLocale(languages, Object.keys(FILES).map(folderOf));
  const load = (name: string) => FILES[fileOf(name) ?? ""]?.() ?? Promise.resolve({});
  const [chosen, english] = await Promise.all([load(locale), load(DEFAULT_LOCALE)]);
  return lookupIn(chosen, english);
}
