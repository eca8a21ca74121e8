import type { ErrorBody } from "../../../shared/errors.js";
import type { Locale } from "../../../shared/locale.js";
import { CATALOGS } from "./messages/index.js";
import { en, type MessageKey } from "./messages/en.js";
import { fill } from "./translate.js";

interface Template {
  key: MessageKey;
  pattern: RegExp;
  names: string[];
}

const escape = (s: string) => s.replace(/[.*+?^$()|[\]\\]/g, "\\$&");
const keys = (Object.keys(en) as MessageKey[]).filter((k) => k.startsWith("error.") || k.startsWith("rule."));
const exact = new Map<string, MessageKey>(keys.filter((k) => !en[k].includes("{")).map((k) => [en[k], k]));
const templates: Template[] = keys
  .filter((k) => en[k].includes("{"))
  .map((key) => {
    const names = [...en[key].matchAll(/\{([a-zA-Z]+)\}/g)].map((m) => m[1]!);
    const pattern = new RegExp(`^${escape(en[key]).replace(/\\?\{[a-zA-Z]+\\?\}/g, "(.+?)")}$`);
    return { key, pattern, names };
  });

/**
 * An English error text in `locale`, found by its English wording (gettext's way: the code keeps
 * throwing plain sentences, and one place translates them). Text that is not in the catalog (meant
 * for machines and operators: agents, malformed bodies) stays English.
 */
export function localiseText(text: string, locale: Locale): string {
  if (locale === "en") return text;
  const key = exact.get(text);
  if (key) return CATALOGS[locale][key];
  for (const t of templates) {
    const m = t.pattern.exec(text);
    if (m) return fill(CATALOGS[locale][t.key], Object.fromEntries(t.names.map((name, i) => [name, m[i + 1]!])));
  }
  return text;
}

/** The contract's error body with its `message` and each detail's `message` in `locale`; codes and paths unchanged. */
export function localiseErrorBody(body: ErrorBody, locale: Locale): ErrorBody {
  if (locale === "en") return body;
  const { code, message, details } = body.error;
  const localisedDetails = details?.map((d) => (typeof d.message === "string" ? { ...d, message: localiseText(d.message, locale) } : d));
  return { error: { code, message: localiseText(message, locale), ...(localisedDetails ? { details: localisedDetails } : {}) } };
}
