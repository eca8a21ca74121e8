import { getCountries, getCountryCallingCode, parsePhoneNumberFromString } from "libphonenumber-js/max";
import { ApiError } from "../errors.js";

/**
 * A mobile number as E.164, or null when it is not a valid number that can receive SMS. Numbers must be
 * given in international form (+…): the worker cannot know which country a user means otherwise.
 */
export function toE164Mobile(input: string): string | null {
  const parsed = parsePhoneNumberFromString(input.trim());
  if (!parsed || !parsed.isValid()) return null;
  const type = parsed.getType();
  // Fixed-line numbers cannot receive codes; "FIXED_LINE_OR_MOBILE" (e.g. US) and unknown types can.
  if (type === "FIXED_LINE" || type === "VOIP" || type === "TOLL_FREE" || type === "PREMIUM_RATE" || type === "SHARED_COST") return null;
  return parsed.number;
}

/**
 * Whether the policy's `methods.smsCountries` (calling codes like "+44"; empty = any) lets codes go to
 * this E.164 number. The calling code is libphonenumber's, so every NANP number counts as "+1".
 */
export function smsCountryAllowed(e164: string, allowed: readonly string[]): boolean {
  if (allowed.length === 0) return true;
  const parsed = parsePhoneNumberFromString(e164);
  return !!parsed && allowed.includes(`+${parsed.countryCallingCode}`);
}

/** The refusal for a number outside `methods.smsCountries`; `path` names the request field when there is one. */
export function smsCountryRefused(allowed: readonly string[], path?: string) {
  const message = `Your organisation sends SMS codes only to numbers starting with ${allowed.join(", ")}.`;
  return new ApiError(422, "method_not_allowed_by_policy", message, path ? [{ path, message }] : undefined);
}

let callingCodes: Set<string> | undefined;

/**
 * Whether "+N" is a country's calling code. The schema checks only the form; an entry that is none
 * (say "+1268", an area code inside "+1") would match no number and block SMS without a word.
 */
export function isCallingCode(code: string): boolean {
  callingCodes ??= new Set(getCountries().map((country) => `+${getCountryCallingCode(country)}`));
  return callingCodes.has(code);
}
