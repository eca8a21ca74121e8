import { describe, expect, it } from "vitest";
import { DEFAULT_POLICY } from "../../../shared/policy/defaults.js";
import {
  evaluatePassword,
  PASSWORD_RULES,
  passwordRuleSummary,
  type PasswordContext,
} from "../../../shared/password/index.js";
import { testPolicy } from "./policy-fixture.js";

const strict = testPolicy({
  minLength: 15,
  maxLength: 64,
  requiredCharacterClasses: 3,
  bannedWords: ["passw0rd", "contoso"],
  blockCommonPasswords: true,
  historyCount: 5,
});
const jane: PasswordContext = { username: "jane.doe@example.com", displayName: "Jane Doe", orgName: "Contoso" };

describe("evaluatePassword", () => {
  it("returns every failed rule together, in a stable order", () => {
    const hits = evaluatePassword("password", strict, jane);
    expect(hits.map((hit) => hit.rule)).toEqual(["min_length", "character_classes", "banned", "common"]);
  });

  it("reports length, class and personal rules together", () => {
    const long = `janedoe${"x".repeat(61)}`; // 68 lower-case characters; [janedoe] + 61 left scores 62
    const short = "JaneDoe!"; // three classes; [janedoe] + ! scores 2
    expect(evaluatePassword(long, strict, jane).map((h) => h.rule)).toEqual(["max_length", "character_classes"]);
    expect(evaluatePassword(short, strict, jane).map((h) => h.rule)).toEqual([
      "min_length",
      "personal_info",
    ]);
  });

  it("accepts a long passphrase under the strict policy", () => {
    expect(evaluatePassword("Maple river quartz 1984", strict, jane)).toEqual([]);
  });

  it("never reports history: only the worker holds the old hashes", () => {
    for (const password of ["", "password", "Maple river quartz 1984"]) {
      expect(evaluatePassword(password, strict, jane).map((h) => h.rule)).not.toContain("history");
    }
  });

  it("returns hits in PASSWORD_RULES order", () => {
    const hits = evaluatePassword("C0nt0s0", strict, jane).map((h) => h.rule);
    expect(hits).toEqual(PASSWORD_RULES.filter((rule) => hits.includes(rule)));
  });

  it("writes messages as instructions", () => {
    const messages = Object.fromEntries(evaluatePassword("password", strict, jane).map((h) => [h.rule, h.message]));
    expect(messages.min_length).toBe("Use at least 15 characters.");
    expect(messages.character_classes).toBe(
      "Use at least three kinds of character from: lower-case letters, upper-case letters, digits and symbols.",
    );
  });

  // Messages may say "password" (the word); what they must not contain is the user's input.
  it.each(["P@ssw0rd", "C0nt0s0!", "JaneDoe!", "Jane.Doe@example.com", "x".repeat(70), "🔐", "Zq"])(
    "never echoes the password or the banned words (%s)",
    (password) => {
      for (const hit of evaluatePassword(password, strict, jane)) {
        expect(hit.message).not.toContain(password);
        expect(hit.message.toLowerCase()).not.toContain(password.toLowerCase());
        for (const word of ["passw0rd", "contoso", "jane"]) {
          expect(hit.message.toLowerCase()).not.toContain(word);
        }
      }
    },
  );
});

describe("passwordRuleSummary", () => {
  it("lists what the default policy imposes", () => {
    expect(passwordRuleSummary(DEFAULT_POLICY.passwordPolicy)).toEqual([
      { rule: "min_length", message: "Use at least 15 characters." },
      { rule: "max_length", message: "Use no more than 256 characters." },
      { rule: "common", message: "Choose a less common password; a few unrelated words work well." },
      {
        rule: "personal_info",
        message: "Avoid your name, username and organisation name; build your password from other words.",
      },
    ]);
  });

  it("lists every rule of a strict policy, history included", () => {
    const summary = passwordRuleSummary(strict);
    expect(summary.map((item) => item.rule)).toEqual([...PASSWORD_RULES]);
    expect(summary.find((item) => item.rule === "history")?.message).toBe("Don't reuse any of your last 5 passwords.");
  });

  it.each([
    [1, "Use at least one kind of character from: lower-case letters, upper-case letters, digits and symbols."],
    [2, "Use at least two kinds of character from: lower-case letters, upper-case letters, digits and symbols."],
    [4, "Use all four kinds of character: lower-case letters, upper-case letters, digits and symbols."],
  ] as const)("phrases %i required classes", (n, message) => {
    const summary = passwordRuleSummary(testPolicy({ requiredCharacterClasses: n }));
    expect(summary.find((item) => item.rule === "character_classes")?.message).toBe(message);
  });
});
