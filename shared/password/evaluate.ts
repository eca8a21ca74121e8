import type { PasswordPolicy } from "../policy/schema.js";
import { collectTerms } from "./banned-terms.js";
import { MIN_TERM_SCORE, scoreFoldedPassword } from "./banned-score.js";
import { characterClassesIn } from "./character-classes.js";
import { canonicalPassword, codePointLength, foldCanonical } from "./normalise.js";
import { PASSWORD_RULES, ruleHit, type PasswordContext, type PasswordRule, type PasswordRuleHit } from "./rules.js";

/** Whether a password in matching form is on the common-password list (common-passwords.ts). */
export type CommonCheck = (foldedPassword: string) => boolean;

/**
 * Every rule of spec §4 the password fails, in PASSWORD_RULES order; empty means acceptable.
 * Pure and synchronous: the extension runs it on each keystroke and the worker runs the same code
 * to enforce. "history" is never reported here, because only the worker holds the old hashes.
 *
 * The list check comes in as `isCommon` because the list is most of the popup's weight: the
 * extension loads it when a password step opens and passes null until then, which leaves "common"
 * unchecked here (the caller shows it as pending). The worker binds the list statically (enforce.ts).
 */
export function evaluatePasswordRules(
  password: string,
  policy: PasswordPolicy,
  context: PasswordContext,
  isCommon: CommonCheck | null,
): PasswordRuleHit[] {
  const canonical = canonicalPassword(password);
  const failed = new Set<PasswordRule>();

  const length = codePointLength(canonical);
  if (length < policy.minLength) failed.add("min_length");
  if (length > policy.maxLength) failed.add("max_length");
  if (characterClassesIn(canonical).size < policy.requiredCharacterClasses) {
    failed.add("character_classes");
  }

  const folded = foldCanonical(canonical);
  const terms = scoreFoldedPassword(folded, collectTerms(policy.bannedWords, context));
  // A low score with no term matched only means "short", which min_length already says.
  if (terms.score < MIN_TERM_SCORE) {
    if (terms.banned) failed.add("banned");
    if (terms.personal) failed.add("personal_info");
  }
  if (policy.blockCommonPasswords && isCommon?.(folded)) failed.add("common");

  return PASSWORD_RULES.filter((rule) => failed.has(rule)).map((rule) => ruleHit(rule, policy));
}
