// Password rules of spec §4, shared by the worker (enforcement) and the extension (live feedback).
// Runtime-neutral: no DOM, Node or Workers APIs. Extension pages import evaluate.js and summary.js
// directly: this index pulls the 49k-entry common-password list in statically (enforce.ts).
export { evaluatePassword } from "./enforce.js";
export { evaluatePasswordRules, type CommonCheck } from "./evaluate.js";
export { passwordRuleSummary } from "./summary.js";
export { MIN_TERM_SCORE, passwordTermScore, type TermScore } from "./banned-score.js";
export { canonicalPassword } from "./normalise.js";
export {
  PASSWORD_RULES,
  ruleMessage,
  type PasswordContext,
  type PasswordRule,
  type PasswordRuleHit,
} from "./rules.js";
