import { codePoints, matchingForm } from "./normalise.js";
import type { PasswordContext } from "./rules.js";

/** A term to look for, in matching form; one text may come from both lists. */
export interface Term {
  text: string[];
  banned: boolean;
  personal: boolean;
}

// Spec §4: terms shorter than this are skipped. With one edit allowed a 3-letter term would match
// any 2 letters in a row and refuse most passwords.
const MIN_TERM_LENGTH = 4;
// Splits names into words: anything that is not a letter, digit or combining mark separates.
const WORD_SEPARATORS = /[^\p{L}\p{N}\p{M}]+/u;

// The banned list is the same array on every keystroke; folding 1000 words each time is waste.
// Keyed by identity: a policy is replaced when it changes, never edited in place.
const foldedBannedLists = new WeakMap<readonly string[], string[]>();

function foldedBannedWords(words: readonly string[]): string[] {
  let folded = foldedBannedLists.get(words);
  if (!folded) {
    folded = words.map(matchingForm);
    foldedBannedLists.set(words, folded);
  }
  return folded;
}

/** Spec §4's personal terms, before folding: username (whole and before "@"), name parts, org name. */
export function personalTermSources(context: PasswordContext): string[] {
  const out: string[] = [];
  const { username, displayName, orgName } = context;
  if (username) {
    out.push(username);
    const at = username.indexOf("@");
    if (at > 0) out.push(username.slice(0, at));
  }
  if (displayName) out.push(...displayName.split(WORD_SEPARATORS));
  if (orgName) {
    // A password has no spaces, so "Contoso Pharma" is also looked for as "ContosoPharma".
    const words = orgName.split(WORD_SEPARATORS);
    out.push(orgName, words.join(""), ...words);
  }
  return out;
}

export function collectTerms(bannedWords: readonly string[], context: PasswordContext): Term[] {
  const byText = new Map<string, Term>();
  const add = (folded: string, from: "banned" | "personal") => {
    const text = codePoints(folded.trim());
    if (text.length < MIN_TERM_LENGTH) return;
    const key = text.join("");
    let term = byText.get(key);
    if (!term) {
      term = { text, banned: false, personal: false };
      byText.set(key, term);
    }
    term[from] = true;
  };
  for (const word of foldedBannedWords(bannedWords)) add(word, "banned");
  for (const source of personalTermSources(context)) add(matchingForm(source), "personal");
  return [...byText.values()];
}
