import { z } from "zod";

/**
 * The languages the product ships (issue 18): the extension's locale files and the worker's
 * message catalogs both have exactly these. BCP 47 tags, as in `defaultLocale` and a user's `locale`.
 */
export const LOCALES = ["en", "de", "fr", "es", "pt-BR", "ja", "ar"] as const;
export type Locale = (typeof LOCALES)[number];

export const localeSchema = z.enum(LOCALES);

/** Written right to left: emails get `dir="rtl"`, pages mirror. */
export const RTL_LOCALES: readonly Locale[] = ["ar"];

/**
 * The shipped locale closest to a browser's language tag: exact ("pt-BR"), else the same language
 * ("de-AT" → "de", "pt-PT" → "pt-BR"), else null.
 */
function closestLocale(tag: string): Locale | null {
  const wanted = tag.trim().toLowerCase();
  const exact = LOCALES.find((l) => l.toLowerCase() === wanted);
  if (exact) return exact;
  const language = wanted.split(/[-_]/)[0];
  return LOCALES.find((l) => l.split("-")[0]!.toLowerCase() === language) ?? null;
}

/** An Accept-Language header's best shipped locale, by its q-values (RFC 9110 §12.5.4); null if none ships. */
export function negotiateLocale(header: string | null | undefined): Locale | null {
  if (!header) return null;
  const ranked = header
    .split(",")
    .slice(0, 20) // a header is the caller's: bound the work
    .map((part, index) => {
      const [tag = "", ...params] = part.split(";");
      const q = params.map((p) => /^\s*q=([0-9.]+)\s*$/.exec(p)?.[1]).find((v) => v !== undefined);
      return { tag: tag.trim(), q: q === undefined ? 1 : Number(q), index };
    })
    .filter((r) => r.tag && r.tag !== "*" && r.q > 0 && Number.isFinite(r.q))
    .sort((a, b) => b.q - a.q || a.index - b.index);
  for (const r of ranked) {
    const locale = closestLocale(r.tag);
    if (locale) return locale;
  }
  return null;
}
