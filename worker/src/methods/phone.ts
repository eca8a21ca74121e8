import { parsePhoneNumberFromString } from "libphonenumber-js/max";

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
