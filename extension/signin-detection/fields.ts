import {
  F_ADDRESS, F_CAPTCHA, F_CARD, F_CONFIRM, F_CURRENT, F_EMAIL, F_NAME, F_NEW, F_OTHER, F_OTP, F_PHONE, F_PIN, F_SEARCH,
  F_USER, norm, wordBits,
} from "./lexicon.js";
import type { FieldSnapshot } from "./types.js";

/**
 * What one field is for. Autocomplete tokens win (the site said so); then the field's own words
 * (name, id, placeholder, aria-label, label). Order matters: "email address" is a username, not an address.
 */
export type FieldKind =
  | "user" | "email" | "tel" | "text" // could carry a sign-in identifier
  | "current" | "password" | "pin" | "new" | "confirm" // password inputs
  | "search" | "otp" | "card" | "name" | "address" | "captcha" | "other" | "select" | "textarea" | "hidden";

const SEARCH_NAMES = new Set(["q", "s", "query", "search", "keyword", "keywords", "term", "searchterm", "search_query"]);
const NAME_AC = new Set(["name", "given-name", "family-name", "additional-name", "nickname", "honorific-prefix", "honorific-suffix"]);
const ADDRESS_AC = /^(street-address|address-line\d|address-level\d|postal-code|country|country-name)$/;
const OTHER_AC = new Set(["bday", "bday-day", "bday-month", "bday-year", "organization", "organization-title", "sex", "url", "photo", "language"]);

export function fieldKind(f: FieldSnapshot): FieldKind {
  if (f.type === "hidden") return "hidden";
  if (f.tag !== "input") return f.tag;
  const ac = f.autocomplete.split(" ");
  const hint = wordBits(norm(`${f.name} ${f.id} ${f.placeholder} ${f.ariaLabel} ${f.label}`));
  const has = (bit: number) => (hint & bit) !== 0;
  if (f.type === "password" || ac.includes("current-password") || ac.includes("new-password")) {
    if (ac.includes("one-time-code") || has(F_OTP)) return "otp";
    if (ac.includes("new-password")) return has(F_CONFIRM) ? "confirm" : "new";
    if (ac.includes("current-password")) return "current";
    if (has(F_CONFIRM)) return "confirm";
    if (has(F_CURRENT)) return "current";
    if (has(F_NEW)) return "new";
    // Short numeric secrets: a bank PIN beside a customer number, or a second-step PIN on its own.
    if (has(F_PIN) || f.inputMode === "numeric" || (f.maxLength > 0 && f.maxLength <= 8)) return "pin";
    return "password";
  }
  if (f.type === "search" || ac.includes("search") || SEARCH_NAMES.has(f.name.toLowerCase()) || SEARCH_NAMES.has(f.id.toLowerCase())) return "search";
  if (ac.includes("username")) return "user";
  if (ac.includes("email")) return "email";
  if (ac.includes("one-time-code")) return "otp";
  if (ac.some((t) => t.startsWith("cc-"))) return "card";
  if (ac.some((t) => NAME_AC.has(t))) return "name";
  if (ac.some((t) => ADDRESS_AC.test(t))) return "address";
  if (ac.some((t) => t.startsWith("tel"))) return "tel";
  if (ac.some((t) => OTHER_AC.has(t))) return "other";
  if (has(F_SEARCH)) return "search";
  if (has(F_CAPTCHA)) return "captcha";
  if (has(F_USER)) return f.type === "email" || has(F_EMAIL) ? "email" : "user";
  if (f.type === "email") return "email";
  if (has(F_OTHER)) return "other";
  if (has(F_CARD)) return "card";
  if (has(F_ADDRESS)) return "address";
  if (has(F_OTP | F_PIN)) return "otp";
  if (has(F_NAME)) return "name";
  if (f.type === "tel" || has(F_PHONE)) return "tel";
  return f.type === "text" ? "text" : "other";
}

export const PASSWORD_KINDS: ReadonlySet<FieldKind> = new Set(["current", "password", "pin", "new", "confirm"]);
export const IDENTIFIER_KINDS: ReadonlySet<FieldKind> = new Set(["user", "email", "tel", "text"]);
