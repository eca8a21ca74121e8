import type { PasswordPolicy } from "../policy/schema.js";
import { PASSWORD_RULES, ruleHit, type PasswordRule, type PasswordRuleHit } from "./rules.js";

function applies(rule: PasswordRule, policy: PasswordPolicy): boolean {
  switch (rule) {
    case "min_length":
    case "max_length":
    case "personal_info":
      return true;
    case "character_classes":
      return policy.requiredCharacterClasses > 0;
    case "banned":
      return policy.bannedWords.length > 0;
    case "common":
      return policy.blockCommonPasswords;
    case "history":
      return policy.historyCount > 0;
  }
}

/**
 * The rules a policy imposes, with the same messages evaluatePassword uses, so the extension can
 * show a checklist and tick off each item whose rule is absent from the current hits.
 */
export function passwordRuleSummary(policy: PasswordPolicy): PasswordRuleHit[] {
  return PASSWORD_RULES.filter((rule) => applies(rule, policy)).map((rule) => ruleHit(rule, policy));
}
