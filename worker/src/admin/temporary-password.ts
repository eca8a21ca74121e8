import { evaluatePassword } from "../../../shared/password/index.js";
import type { Policy } from "../../../shared/policy/schema.js";
import { randomInt } from "../crypto/random.js";

/** No 0/O/o, 1/l/I: a temporary password is read aloud or copied by hand from a helpdesk ticket. */
const ALPHABET = "abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";
/** 20 random characters of 56 ≈ 116 bits, well past the 112 bits NIST asks of a generated secret. */
const RANDOM_CHARS = 20;
const GROUP = 5;

/**
 * A temporary password from the CSPRNG that passes the current policy: groups of five separated by
 * "-" (the dash also gives the symbol class), at least 20 random characters and at least `minLength`
 * in all. Candidates failing a rule (a missing character class, a banned word by chance) are drawn again.
 */
export function generateTemporaryPassword(policy: Policy, who: { username: string; displayName: string }): string {
  const length = Math.max(RANDOM_CHARS + Math.floor((RANDOM_CHARS - 1) / GROUP), policy.passwordPolicy.minLength);
  for (let attempt = 0; attempt < 100; attempt++) {
    let password = "";
    for (let i = 0; i < length; i++) {
      const dash = i % (GROUP + 1) === GROUP && i !== length - 1;
      password += dash ? "-" : ALPHABET[randomInt(ALPHABET.length)];
    }
    const hits = evaluatePassword(password, policy.passwordPolicy, { ...who, orgName: policy.orgName });
    if (hits.length === 0) return password;
  }
  // Unreachable for any valid policy (each draw fails with probability < 5%); a 500 beats a weak password.
  throw new Error("could not generate a temporary password that passes the policy");
}
