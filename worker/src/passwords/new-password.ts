import { evaluatePassword } from "../../../shared/password/index.js";
import type { PasswordRuleHit } from "../../../shared/password/index.js";
import type { Policy } from "../../../shared/policy/schema.js";
import { ApiError } from "../errors.js";
import { verifyPassword } from "../crypto/password-hash.js";
import type { RequestTiming } from "../timing.js";

export interface NewPasswordContext {
  username: string;
  displayName: string;
  /** Current hash first, then history (newest first); checked against `historyCount`. */
  previousHashes?: (string | null)[];
}

/**
 * The shared rules (the extension shows the same ones as the user types) plus password history,
 * which only the worker can check. Every failed rule is reported at once (contract: 422 details).
 */
export function checkNewPassword(password: string, policy: Policy, ctx: NewPasswordContext, timing: RequestTiming): void {
  const hits: PasswordRuleHit[] = evaluatePassword(password, policy.passwordPolicy, {
    username: ctx.username,
    displayName: ctx.displayName,
    orgName: policy.orgName,
  });
  const count = policy.passwordPolicy.historyCount;
  if (count > 0 && ctx.previousHashes) {
    const recent = ctx.previousHashes.filter((h): h is string => !!h).slice(0, count);
    // Each check is a full KDF run: the cost grows with historyCount, which defaults to 0.
    if (recent.some((hash) => timing.kdf(() => verifyPassword(password, hash)))) {
      hits.push({ rule: "history", message: `Choose a password you have not used for your last ${count} passwords.` });
    }
  }
  if (hits.length > 0) {
    throw new ApiError(422, "password_policy", "The new password does not meet the password rules.", hits);
  }
}
