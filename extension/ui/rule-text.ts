import type { PasswordRule, PasswordRuleHit } from "../../shared/password/rules.js";
import type { PasswordPolicy } from "../../shared/policy/schema.js";
import { t } from "../i18n.js";

/** The checklist's sentence for a rule in the browser's language (shared's ruleMessage is the worker's English). */
function ruleText(rule: PasswordRule, policy: PasswordPolicy): string {
  switch (rule) {
    case "min_length":
      return t("ruleMinLength", policy.minLength);
    case "max_length":
      return t("ruleMaxLength", policy.maxLength);
    case "character_classes": {
      const n = policy.requiredCharacterClasses;
      if (n >= 4) return t("ruleClassesAll");
      return n === 1 ? t("ruleClassesOne") : t("ruleClassesMany", n);
    }
    case "banned":
      return t("ruleBanned");
    case "common":
      return t("ruleCommon");
    case "history":
      return policy.historyCount === 1 ? t("ruleHistoryOne") : t("ruleHistoryMany", policy.historyCount);
    case "personal_info":
      return t("rulePersonal");
  }
}

export const localiseRules = (rules: PasswordRuleHit[], policy: PasswordPolicy): PasswordRuleHit[] =>
  rules.map(({ rule }) => ({ rule, message: ruleText(rule, policy) }));
