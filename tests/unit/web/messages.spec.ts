import { describe, expect, it } from "vitest";
import { chooseLocale, formatMessage, loadMessages, lookupIn } from "../../../web/self-service/messages.js";

describe("the web pages' locale", () => {
  const folders = ["de", "en", "pt_BR", "fr"];

  it("takes the first of the user's languages that has a folder, region first, then its language", () => {
    expect(chooseLocale(["pt-BR", "de"], folders)).toBe("pt_BR");
    expect(chooseLocale(["de-AT", "fr"], folders)).toBe("de");
    expect(chooseLocale(["ja", "fr-CA"], folders)).toBe("fr");
  });

  it("falls back to English when none of the user's languages has a folder", () => {
    expect(chooseLocale(["ja", "ko"], folders)).toBe("en");
    expect(chooseLocale([], folders)).toBe("en");
  });
});

describe("Chrome's message format", () => {
  it("fills named placeholders (any case) from the substitutions", () => {
    const entry = { message: "Step $CURRENT$ of $Total$", placeholders: { current: { content: "$1" }, TOTAL: { content: "$2" } } };
    expect(formatMessage(entry, ["2", "3"])).toBe("Step 2 of 3");
  });

  it("keeps a dollar written as $$ and leaves an unknown placeholder as written", () => {
    expect(formatMessage({ message: "Costs $$5 $NOPE$" }, [])).toBe("Costs $5 $NOPE$");
  });

  it("does not read a substitution's own dollars as more placeholders", () => {
    expect(formatMessage({ message: "Code sent to $1" }, ["$2 a$$b"])).toBe("Code sent to $2 a$$b");
  });

  it("answers a key the chosen locale lacks from English, and an unknown key with nothing", () => {
    const lookup = lookupIn({ continue: { message: "Weiter" } }, { continue: { message: "Continue" }, close: { message: "Close" } });
    expect(lookup("continue", [])).toBe("Weiter");
    expect(lookup("close", [])).toBe("Close");
    expect(lookup("extName", [])).toBe("");
  });
});

it("loads the extension's own English strings for a language without a folder", async () => {
  const lookup = await loadMessages(["zz"]);
  expect(lookup("stepOf", ["2", "3"])).toBe("Step 2 of 3");
  expect(lookup("htmlLang", [])).toBe("en");
});
