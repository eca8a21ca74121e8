import type { PasswordPolicy } from "../policy/schema.js";

export type PasswordRule =
  | "min_length"
  | "max_length"
  | "character_classes"
  | "banned"
  | "common"
  | "history"
  | "personal_info";

export interface PasswordRuleHit {
  rule: PasswordRule;
  message: string;
}

/** Who is choosing the password; the source of spec §4's personal terms. */
export interface PasswordContext {
  username?: string;
  displayName?: string;
  orgName?: string;
}

/** The order hits are reported in, so the extension's checklist and the worker's error agree. */
export const PASSWORD_RULES: readonly PasswordRule[] = [
  "min_length",
  "max_length",
  "character_classes",
  "banned",
  "common",
  "history",
  "personal_info",
];

const COUNT_WORDS = ["no", "one", "two", "three", "four"] as const;
const CLASS_LIST = "lower-case letters, upper-case letters, digits and symbols";

/**
 * One sentence per rule, read both as a checklist item and as the reason a password was refused.
 * Messages never quote the password or the banned list: the popup may be screen-shared, and the
 * list is the organisation's to keep.
 */
export function ruleMessage(rule: PasswordRule, policy: PasswordPolicy): string {
  switch (rule) {
    case "min_length":
      return `Use at least ${policy.minLength} characters.`;
    case "max_length":
      return `Use no more than ${policy.maxLength} characters.`;
    case "character_classes": {
      const n = policy.requiredCharacterClasses;
      if (n >= 4) return `Use all four kinds of character: ${CLASS_LIST}.`;
      const kinds = n === 1 ? "kind" : "kinds";
      return `Use at least ${COUNT_WORDS[n] ?? n} ${kinds} of character from: ${CLASS_LIST}.`;
    }
    case "banned":
      return "Avoid words your organisation has banned; build your password from other words.";
    case "common":
      return "Choose a less common password; a few unrelated words work well.";
    case "history":
      return policy.historyCount === 1
        ? "Don't reuse your previous password."
        : `Don't reuse any of your last ${policy.historyCount} passwords.`;
    case "personal_info":
      return "Avoid your name, username and organisation name; build your password from other words.";
  }
}

export function ruleHit(rule: PasswordRule, policy: PasswordPolicy): PasswordRuleHit {
  return { rule, message: ruleMessage(rule, policy) };
}
