import { describe, expect, it } from "vitest";
import { evaluatePassword } from "../../../shared/password/index.js";
import { testPolicy } from "./policy-fixture.js";

const rules = (password: string, overrides: Parameters<typeof testPolicy>[0]) =>
  evaluatePassword(password, testPolicy(overrides), {}).map((hit) => hit.rule);

describe("length, counted in code points after NFKC", () => {
  it.each([
    ["8 ASCII letters", "abcdefgh", { minLength: 8 }, []],
    ["7 ASCII letters", "abcdefg", { minLength: 8 }, ["min_length"]],
    ["8 emoji are 8 characters, not 16 UTF-16 units", "🔐".repeat(8), { minLength: 8 }, []],
    ["7 emoji", "🔐".repeat(7), { minLength: 8 }, ["min_length"]],
    ["ligatures expand under NFKC: 4 × ﬁ is 8", "ﬁ".repeat(4), { minLength: 8 }, []],
    ["full-width digits count once each", "１２３４５６７８", { minLength: 8 }, []],
    ["64 characters at maxLength 64", "x".repeat(64), { maxLength: 64 }, []],
    ["65 characters at maxLength 64", "x".repeat(65), { maxLength: 64 }, ["max_length"]],
    ["64 emoji (128 UTF-16 units) at maxLength 64", "🔐".repeat(64), { maxLength: 64 }, []],
    ["65 emoji at maxLength 64", "🔐".repeat(65), { maxLength: 64 }, ["max_length"]],
    // e + combining acute composes to é: 64 characters, not 128.
    ["64 decomposed é at maxLength 64", "e\u0301".repeat(64), { maxLength: 64 }, []],
    ["15 at the default 15", "correct-horse-b", { minLength: 15 }, []],
    ["14 at the default 15", "correct-horse-", { minLength: 15 }, ["min_length"]],
    ["empty", "", { minLength: 8 }, ["min_length"]],
  ] as const)("%s", (_name, password, overrides, expected) => {
    expect(rules(password, overrides)).toEqual(expected);
  });
});

describe("character classes", () => {
  it.each([
    ["lower only", "abcdefgh", 1, true],
    ["lower only", "abcdefgh", 2, false],
    ["lower + upper", "abcdEFGH", 2, true],
    ["lower + upper", "abcdEFGH", 3, false],
    ["lower + upper + digit", "abcdEF12", 3, true],
    ["lower + upper + digit", "abcdEF12", 4, false],
    ["all four", "abC1!xyz", 4, true],
    ["a space is a symbol", "abcd EFG1", 4, true],
    ["accented letters keep their case", "ÁbcdéFGh", 2, true],
    ["full-width capitals are upper case", "ＡＢＣＤabcd", 2, true],
    ["full-width digits are digits", "abcd１２３４", 2, true],
    ["uncased letters (kana) count as the fourth class", "パスワードabc1", 3, true],
    ["uncased letters are not upper case", "パスワードabc1", 4, false],
    ["no requirement", "aaaaaaaa", 0, true],
  ] as const)("%s, %i required", (_name, password, required, passes) => {
    const hit = rules(password, { requiredCharacterClasses: required }).includes("character_classes");
    expect(hit).toBe(!passes);
  });
});
