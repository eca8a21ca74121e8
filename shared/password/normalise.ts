/**
 * The two forms a password is judged in.
 *
 * `canonicalPassword` (NFKC) is what length and character classes are measured on. NIST SP 800-63B
 * counts each Unicode code point as one character and tells verifiers to apply NFKC or NFKD first,
 * so "é" typed precomposed or as e + combining accent, or digits typed full-width on a CJK keyboard,
 * measure the same in the extension and in the worker. We count after NFKC rather than before because
 * the compatibility forms (ligatures, full-width letters) are what users perceive as single characters.
 *
 * `matchingForm` adds Entra's folding (spec §4) so "P@ssw0rd" and "password" compare equal; banned
 * terms, personal terms and the common-password list are folded the same way.
 */

// Spec §4, Entra's substitution table; applied after lower-casing.
const SUBSTITUTIONS: Readonly<Record<string, string>> = {
  "0": "o",
  "1": "l",
  "3": "e",
  "4": "a",
  "5": "s",
  "7": "t",
  $: "s",
  "@": "a",
};
const SUBSTITUTABLE = /[013457$@]/g;

export function canonicalPassword(password: string): string {
  return password.normalize("NFKC");
}

/** Entra's normalisation of a string that is already canonical (saves a second NFKC pass). */
export function foldCanonical(canonical: string): string {
  return canonical.toLowerCase().replace(SUBSTITUTABLE, (ch) => SUBSTITUTIONS[ch] ?? ch);
}

export function matchingForm(text: string): string {
  return foldCanonical(canonicalPassword(text));
}

/** Code points, not UTF-16 units: an emoji is one character to the user and to NIST. */
export function codePoints(text: string): string[] {
  return Array.from(text);
}

export function codePointLength(text: string): number {
  let n = 0;
  for (const _ of text) n++;
  return n;
}
