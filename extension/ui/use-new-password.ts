import { useMemo, useState } from "preact/hooks";
import type { PublicConfig } from "../../shared/api/config.js";
import { evaluatePasswordRules, type CommonCheck } from "../../shared/password/evaluate.js";
import type { PasswordRule, PasswordRuleHit } from "../../shared/password/rules.js";
import { passwordRuleSummary } from "../../shared/password/summary.js";
import type { PasswordPolicy } from "../../shared/policy/schema.js";
import { loadCommonPasswords, useCommonPasswords } from "../wizard/common-passwords.js";
import { localiseRules } from "./rule-text.js";
import { visibleRules } from "./visible-rules.js";

/** The public config hides the banned words, so the live check runs without them; the worker still enforces them. */
const livePolicy = (config: PublicConfig): PasswordPolicy => ({ ...config.passwordPolicy, bannedWords: [] });

export interface NewPassword {
  value: string;
  setValue: (value: string) => void;
  /** The checklist: the policy's rules that are worth showing for this value (visible-rules.ts). */
  rules: PasswordRuleHit[];
  hits: PasswordRuleHit[];
  /** Rules whose data is still loading: "checking", never ticked before they were checked. */
  pending: PasswordRule[];
  /** Whether the password passes every rule the extension can check; waits for the common list if it is still loading. */
  passes(): Promise<boolean>;
}

/**
 * A new password checked against the shared rules on every keystroke (spec §4 "one shared module"),
 * for every screen that sets one: the reset wizard's last step and the change-password page.
 */
export function useNewPassword(config: PublicConfig, username: string): NewPassword {
  const [value, setValue] = useState("");
  const policy = useMemo(() => livePolicy(config), [config]);
  const allRules = useMemo(() => localiseRules(passwordRuleSummary(policy), policy), [policy]);
  const rules = visibleRules(allRules, value, policy.maxLength);
  const context = { username, orgName: config.orgName };
  const isCommon = useCommonPasswords(policy.blockCommonPasswords);
  const hits = useMemo(() => evaluatePasswordRules(value, policy, context, isCommon), [value, policy, username, isCommon]);
  const pending: PasswordRule[] = policy.blockCommonPasswords && !isCommon ? ["common"] : [];

  async function passes(): Promise<boolean> {
    // A submit that beats the list (it loads in well under a second) waits for it rather than
    // sending a password the checklist has not cleared; if it cannot load, the worker checks the same list.
    let check: CommonCheck | null = isCommon;
    if (pending.length) check = await loadCommonPasswords().catch(() => null);
    const failed = check === isCommon ? hits : evaluatePasswordRules(value, policy, context, check);
    return value.length > 0 && failed.length === 0;
  }

  return { value, setValue, rules, hits, pending, passes };
}
