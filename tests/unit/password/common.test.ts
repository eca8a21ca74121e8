import { describe, expect, it } from "vitest";
import { evaluatePassword } from "../../../shared/password/index.js";
import { testPolicy } from "./policy-fixture.js";

const isCommon = (password: string, blockCommonPasswords = true) =>
  evaluatePassword(password, testPolicy({ minLength: 1, blockCommonPasswords }), {}).some(
    (hit) => hit.rule === "common",
  );

describe("common passwords (zxcvbn-ts list, folded)", () => {
  it.each([
    ["password", true],
    ["password123", true], // rank 795 on the list
    ["P@ssw0rd", true], // folds to "password"
    ["PASSWORD", true],
    ["LetMeIn", true],
    ["Dr@g0n", true], // "dragon"
    ["1qaz2wsx", true], // keyboard walk, folds the same way as the list's entry
    ["iloveyou2", true],
    ["correct-horse-battery-staple", false],
    ["Password1!", false], // not on the list, even folded
    ["contoso", false],
  ] as const)("%s → %s", (password, expected) => {
    expect(isCommon(password)).toBe(expected);
  });

  it("is not checked when blockCommonPasswords is off", () => {
    expect(isCommon("password", false)).toBe(false);
  });
});
