import { canonicalPassword, codePointLength } from "../../shared/password/normalise.js";
import type { PasswordRuleHit } from "../../shared/password/rules.js";

/** The maximum-length rule shows once the password reaches this share of the limit (205 of 256). */
const MAX_LENGTH_SHOWN_FROM = 0.8;

/**
 * The rules worth showing for this password. "No more than 256 characters" would be a permanent ✓
 * for every real password, so it appears only near the limit (and so whenever it is broken).
 */
export function visibleRules(rules: PasswordRuleHit[], password: string, maxLength: number): PasswordRuleHit[] {
  const near = codePointLength(canonicalPassword(password)) >= Math.ceil(maxLength * MAX_LENGTH_SHOWN_FROM);
  return near ? rules : rules.filter((r) => r.rule !== "max_length");
}
