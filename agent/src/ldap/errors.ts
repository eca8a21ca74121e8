import { ResultCodeError } from "ldapts";
import type { JobFailure, JobResult } from "../../../shared/directory/protocol.js";

export type Failure = Extract<JobResult, { ok: false }>;
/** Cut to the protocol's 1000 characters: a longer message would make the worker drop the whole result and wait out its timeout. */
export const failure = (reason: JobFailure, message: string): Failure => ({ ok: false, reason, message: message.length > 1000 ? `${message.slice(0, 999)}…` : message });

export const LDAP_INVALID_CREDENTIALS = 49;
export const LDAP_CONSTRAINT_VIOLATION = 19;
export const LDAP_UNWILLING_TO_PERFORM = 53;
export const LDAP_NO_SUCH_OBJECT = 32;
export const LDAP_SIZE_LIMIT_EXCEEDED = 4;

export const resultCode = (error: unknown): number | null => (error instanceof ResultCodeError ? error.code : null);

/** The server's own text without ldapts's " Code: 0x…" suffix. */
export const serverText = (error: unknown): string => (error instanceof Error ? error.message.replace(/\s*Code: 0x[0-9a-f]+$/i, "") : String(error));

const REFUSED = "Your organisation's directory refused this password:";

/**
 * AD's bind failure (`80090308: LdapErr: … data 52e, …`). Codes for a right password that AD still
 * refuses (533, 775, 773, 532, 701, 530, 531) are told apart; an unknown user (525) reads as a wrong password so
 * the answer never says whether the account exists.
 */
export function adBindFailure(error: unknown): Failure {
  const code = resultCode(error);
  const text = serverText(error);
  if (code !== LDAP_INVALID_CREDENTIALS) return failure("error", `bind failed: ${text}`);
  const data = /\bdata ([0-9a-f]{3,8})\b/i.exec(text)?.[1]?.toLowerCase();
  switch (data) {
    case "775":
      return failure("locked", "the directory has locked this account after failed sign-ins");
    case "533":
      return failure("disabled", "the account is disabled in the directory");
    case "701":
      return failure("disabled", "the account has expired in the directory");
    case "773":
      return failure("must_change", "the directory requires a new password at next sign-in");
    case "532":
      return failure("expired", "the password has expired in the directory");
    // AD checks logon hours and workstations only after the password: answered apart from a wrong
    // password, they would confirm the guess. A sign-in they forbid is refused like a disabled account.
    case "530":
    case "531":
      return failure("disabled", `the directory does not allow this sign-in now (logon hours or workstations, data ${data})`);
    default:
      return failure("invalid_credentials", "wrong username or password");
  }
}

/**
 * AD's refusal of a `unicodePwd` write. `0000052D` is the password-rules constraint; Samba names the
 * rule in its text, Windows does not, so the fallback names all three.
 */
export function adPasswordRefusal(error: unknown): Failure {
  const code = resultCode(error);
  const text = serverText(error);
  if (code === LDAP_NO_SUCH_OBJECT) return failure("not_found", "no such entry in the directory");
  if (/\b00000056\b/.test(text)) return failure("wrong_current", "the current password is wrong");
  if (/\b0000052D\b/i.test(text)) {
    if (/history|already used/i.test(text)) return failure("policy", `${REFUSED} it was used recently. Choose one you have not used before.`);
    if (/too short/i.test(text)) return failure("policy", `${REFUSED} it is too short for its rules.`);
    if (/complexity/i.test(text)) return failure("policy", `${REFUSED} it is not complex enough. Mix upper and lower case letters, digits and symbols, and leave out your name.`);
    if (/too young|minimum password age|too recently/i.test(text)) return failure("policy", `${REFUSED} the password was changed too recently. Try again later.`);
    return failure("policy", `${REFUSED} it does not meet its rules for length, complexity or history.`);
  }
  return failure("error", `password write failed: ${text}`);
}

/** OpenLDAP ppolicy's refusals of a Password Modify (result 19 with ppolicy's own text). */
export function openLdapPasswordRefusal(error: unknown): Failure {
  const code = resultCode(error);
  const text = serverText(error);
  if (code === LDAP_NO_SUCH_OBJECT) return failure("not_found", "no such entry in the directory");
  if (code === LDAP_CONSTRAINT_VIOLATION) {
    if (/history/i.test(text)) return failure("policy", `${REFUSED} it was used recently. Choose one you have not used before.`);
    if (/too young/i.test(text)) return failure("policy", `${REFUSED} the password was changed too recently. Try again later.`);
    if (/too short|quality/i.test(text)) return failure("policy", `${REFUSED} it is too short or too simple for its rules.`);
    if (/not being changed|same/i.test(text)) return failure("policy", `${REFUSED} it is the same as the current one.`);
    return failure("policy", `${REFUSED} it does not meet its rules.`);
  }
  if (code === LDAP_UNWILLING_TO_PERFORM && /old|current/i.test(text)) return failure("wrong_current", "the current password is wrong");
  return failure("error", `password modify failed: ${text}`);
}
