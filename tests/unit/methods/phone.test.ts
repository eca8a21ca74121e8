import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { toE164Mobile } from "../../../worker/src/methods/phone.js";

const messages = JSON.parse(readFileSync(new URL("../../../extension/public/_locales/en/messages.json", import.meta.url), "utf8")) as Record<string, { message: string }>;

describe("toE164Mobile", () => {
  it("normalises mobile numbers to E.164 and refuses what is not a mobile number", () => {
    expect(toE164Mobile("+44 7911 123456")).toBe("+447911123456");
    expect(toE164Mobile("+1 (201) 555-0123")).toBe("+12015550123");
    expect(toE164Mobile("07911 123456")).toBeNull(); // no country code
    expect(toE164Mobile("+44 20 7946 0000")).toBeNull(); // a London landline
    expect(toE164Mobile("not a number")).toBeNull();
  });

  it("accepts the example number the error messages suggest", () => {
    const examples = Object.values(messages)
      // The examples use no-break spaces so a line never wraps inside the number.
      .map((m) => /for example (\+[\d \u00a0]+\d)/.exec(m.message)?.[1])
      .filter((e): e is string => !!e);
    expect(examples.length).toBeGreaterThan(0);
    for (const example of examples) expect(toE164Mobile(example), example).not.toBeNull();
  });
});
