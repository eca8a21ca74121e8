import { readdirSync, readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { pseudo, pseudoMessages } from "../../../scripts/pseudo-locale.js";

interface Message {
  message: string;
  placeholders?: Record<string, { content: string }>;
}

const ROOT = new URL("../../../extension/public/_locales/", import.meta.url);
const read = (locale: string) => JSON.parse(readFileSync(new URL(`${locale}/messages.json`, ROOT), "utf8")) as Record<string, Message>;
const english = read("en");
const translations = readdirSync(ROOT).filter((locale) => locale !== "en");
/** Chrome substitutes `$NAME$` only where the locale's own entry declares NAME: both must match English. */
const placeholdersIn = (text: string) => [...new Set(text.match(/\$[A-Za-z0-9_]+\$/g) ?? [])].map((p) => p.toLowerCase()).sort();

describe("the extension's locale files", () => {
  it("ship the six languages of issue 18 besides English", () => {
    expect(translations.sort()).toEqual(["ar", "de", "es", "fr", "ja", "pt_BR"]);
  });

  describe.each(translations)("%s", (locale) => {
    const messages = read(locale);

    it("has exactly the English keys", () => {
      expect(Object.keys(messages).sort()).toEqual(Object.keys(english).sort());
    });

    it("keeps and declares every placeholder of each English message, and leaves none empty", () => {
      const broken = Object.keys(english).filter((key) => {
        const theirs = messages[key];
        if (!theirs?.message.trim()) return true;
        const same = placeholdersIn(theirs.message).join() === placeholdersIn(english[key]!.message).join();
        return !same || JSON.stringify(theirs.placeholders) !== JSON.stringify(english[key]!.placeholders);
      });
      expect(broken).toEqual([]);
    });

    it("names its own language in htmlLang", () => {
      expect(messages.htmlLang!.message).toBe(locale.replace("_", "-"));
    });
  });
});

describe("the pseudo-locale", () => {
  it("accents, lengthens and brackets text but keeps placeholders and URLs", () => {
    const out = pseudo("Step $CURRENT$ of $TOTAL$ at https://sspr.example.com");
    expect(out).toMatch(/^\[Šţêþ \$CURRENT\$ ôƒ \$TOTAL\$ âţ https:\/\/sspr\.example\.com ·+\]$/);
  });

  it("covers every English key and leaves htmlLang a valid tag", () => {
    const out = pseudoMessages(english);
    expect(Object.keys(out)).toEqual(Object.keys(english));
    expect(out.htmlLang!.message).toBe("en-XA");
    expect(out.stepOf!.placeholders).toEqual(english.stepOf!.placeholders);
  });
});
