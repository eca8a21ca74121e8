import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { LOCALES, negotiateLocale } from "../../../shared/locale.js";
import { CATALOGS } from "../../../worker/src/i18n/messages/index.js";
import { en } from "../../../worker/src/i18n/messages/en.js";
import { localiseErrorBody, localiseText } from "../../../worker/src/i18n/localise-error.js";

const placeholders = (text: string) => [...new Set(text.match(/\{[a-zA-Z]+\}/g) ?? [])].sort();

describe("the worker's message catalogs", () => {
  it.each(LOCALES.filter((l) => l !== "en"))("%s has every English key, no other, and keeps each placeholder", (locale) => {
    const catalog = CATALOGS[locale] as Record<string, string>;
    expect(Object.keys(catalog).sort()).toEqual(Object.keys(en).sort());
    const broken = Object.entries(en).filter(([key, english]) => !catalog[key]?.trim() || placeholders(catalog[key]!).join() !== placeholders(english).join());
    expect(broken.map(([key]) => key)).toEqual([]);
  });

  it("keeps SMS texts short enough for one message in every language", () => {
    // 160 GSM-7 or 70 UCS-2 characters per segment: at most two segments, with a long org name.
    for (const locale of LOCALES) {
      const text = CATALOGS[locale]["code.sms"].replace("{code}", "12345678").replace("{org}", "Contoso Pharmaceuticals").replace("{minutes}", "10");
      expect(text.length, locale).toBeLessThanOrEqual(/^[\x20-\x7e]*$/.test(text) ? 160 : 134);
    }
  });
});

/** Every sentence the worker throws in an error, read from its source: the catalog must have each one. */
function thrownTexts(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) {
      if (name !== "i18n") out.push(...thrownTexts(path));
      continue;
    }
    const source = readFileSync(path, "utf8");
    const calls = /(?:new ApiError\(\s*(?:\d+|e\.status),\s*"[a-z_]+",\s*|forbidden\(|notFound\(|rateLimited\([^,]+,\s*|directoryUnavailable\(|message:\s*|NOTHING_CHANGED = )(["`])((?:(?!\1).)+)\1/g;
    for (const m of source.matchAll(calls)) out.push(m[2]!.replace(/\$\{[^}]+\}/g, "{value}"));
  }
  return out;
}

/** Operators' and agents' words (a malformed body, an agent's enrollment): not shown to a person at a sign-in page. */
const FOR_MACHINES = [
  /^Not a cursor this list gave out\.$/,
  /^The body is/,
  /^Send the body as application\/json\.$/,
  /^Nothing is here\.$/,
  /^This path does not accept that method\.$/,
  /agent/i,
  /^Connect with a WebSocket/,
  /^Not a country calling code\.$/,
  /^Must be later than since\.$/,
  /^Use the policy version in quotes/,
  /^Only \{value\} rows per import/,
  /^The row is not valid\.$/,
  /^Not a mobile number in international form/,
  /^Not a usable RSA-OAEP/,
];

describe("every error text the worker throws", () => {
  const englishTemplates = Object.values(en).map((t) => new RegExp(`^${t.replace(/[.*+?^$()|[\]\\]/g, "\\$&").replace(/\{[a-zA-Z]+\}/g, ".+")}$`));
  it.each([...new Set(thrownTexts("worker/src"))].filter((t) => /^[A-Z]/.test(t) && t.includes(" ")))("is translated or meant for machines: %s", (text) => {
    const concrete = text.replace(/\{value\}/g, "3");
    expect(englishTemplates.some((re) => re.test(concrete)) || FOR_MACHINES.some((re) => re.test(text))).toBe(true);
  });
});

describe("localising an error", () => {
  it("translates the message and the details' messages, keeps codes and paths", () => {
    const body = { error: { code: "invalid_request" as const, message: "The request is not valid.", details: [{ path: "code", message: "Required." }] } };
    expect(localiseErrorBody(body, "de")).toEqual({ error: { code: "invalid_request", message: "Die Anfrage ist ungültig.", details: [{ path: "code", message: "Erforderlich." }] } });
  });

  it("fills a template's values back in", () => {
    expect(localiseText("You already have 5 recovery methods of this kind. Remove one first.", "fr")).toBe("Vous avez déjà 5 méthodes de récupération de ce type. Supprimez-en une d'abord.");
    expect(localiseText("Use at least 15 characters.", "ja")).toBe("15 文字以上にしてください。");
  });

  it("leaves text it does not know in English", () => {
    expect(localiseText("Connect with a WebSocket upgrade (Upgrade: websocket).", "ar")).toBe("Connect with a WebSocket upgrade (Upgrade: websocket).");
  });
});

describe("negotiateLocale", () => {
  it.each([
    ["de-DE,de;q=0.9,en;q=0.8", "de"],
    ["pt-BR", "pt-BR"],
    ["pt-PT,pt;q=0.9", "pt-BR"],
    ["en-GB;q=0.5, ja;q=0.9", "ja"],
    ["xx, ar-EG;q=0.2", "ar"],
    ["zh-CN", null],
    ["*", null],
    ["", null],
    [undefined, null],
  ])("%s → %s", (header, expected) => {
    expect(negotiateLocale(header)).toBe(expected);
  });
});
