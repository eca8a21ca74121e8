/**
 * Writes a pseudo-locale from the English messages (issue 18): every letter accented, every message
 * about 40% longer and bracketed, placeholders untouched. Loaded in a test run with screenshots, it
 * shows text that no message went through (it stays plain English) and text that is cut off (the
 * closing bracket is missing). `tsx scripts/pseudo-locale.ts <unpacked extension dir>` adds
 * `_locales/en_XA`, the locale Chromium's `--lang=en-XA` picks.
 */
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

interface Message {
  message: string;
  description?: string;
  placeholders?: Record<string, { content: string }>;
}

export const PSEUDO_LOCALE = "en_XA";

const ACCENTED: Record<string, string> = Object.fromEntries(
  [..."abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"].map((ch, i) => [ch, [..."âƀçđêƒĝĥîĵķĺɱñôþǫŕšţûṽŵẋýžÂƁÇĐÊƑĜĤÎĴĶĹṀÑÔÞǪŔŠŢÛṼŴẊÝŽ"][i]!]),
);

/** Words stay readable ("Ŝîĝñ îñ"), so a reviewer can tell which message a screenshot shows. */
export function pseudo(text: string): string {
  const parts = text.split(/(\$[A-Za-z0-9_]+\$|https?:\/\/\S+|\$\d)/);
  const accented = parts.map((part, i) => (i % 2 ? part : [...part].map((ch) => ACCENTED[ch] ?? ch).join(""))).join("");
  const letters = text.replace(/\$[A-Za-z0-9_]+\$/g, "").length;
  const padding = "·".repeat(Math.max(2, Math.round(letters * 0.4)));
  return `[${accented} ${padding}]`;
}

/** Keys whose value is data, not words: they must stay valid as they are. */
const VERBATIM = new Set(["extName"]);

export function pseudoMessages(english: Record<string, Message>): Record<string, Message> {
  return Object.fromEntries(
    Object.entries(english).map(([key, { message, placeholders }]) => [
      key,
      { message: key === "htmlLang" ? "en-XA" : VERBATIM.has(key) ? message : pseudo(message), ...(placeholders ? { placeholders } : {}) },
    ]),
  );
}

/** Adds the pseudo-locale to an unpacked extension, made from its English messages. */
export function addPseudoLocale(dir: string): void {
  const english = JSON.parse(readFileSync(join(dir, "_locales", "en", "messages.json"), "utf8")) as Record<string, Message>;
  mkdirSync(join(dir, "_locales", PSEUDO_LOCALE), { recursive: true });
  writeFileSync(join(dir, "_locales", PSEUDO_LOCALE, "messages.json"), `${JSON.stringify(pseudoMessages(english), null, 2)}\n`);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const dir = process.argv[2];
  if (!dir) throw new Error("usage: tsx scripts/pseudo-locale.ts <unpacked extension dir>");
  addPseudoLocale(dir);
}
