import type { PasswordPolicy } from "../policy/schema.js";
import { isCommonFolded } from "./common-passwords.js";
import { evaluatePasswordRules } from "./evaluate.js";
import type { PasswordContext, PasswordRuleHit } from "./rules.js";

/**
 * Every rule of spec §4 the password fails, with the common-password list imported statically, so
 * enforcement never runs without it. The worker's (and the tests') entry; the extension's pages load
 * the list lazily and call evaluatePasswordRules themselves.
 */
export function evaluatePassword(password: string, policy: PasswordPolicy, context: PasswordContext): PasswordRuleHit[] {
  return evaluatePasswordRules(password, policy, context, isCommonFolded);
}
