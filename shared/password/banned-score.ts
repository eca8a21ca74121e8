import { collectTerms, type Term } from "./banned-terms.js";
import { codePoints, matchingForm } from "./normalise.js";
import type { PasswordContext } from "./rules.js";
import { lowestCover } from "./lowest-cover.js";
import { findTermMatches } from "./term-matches.js";

/** Spec §4: a password needs at least this many points. */
export const MIN_TERM_SCORE = 5;

export interface TermScore {
  /** 1 per distinct matched term + 1 per folded character outside the chosen matches. */
  score: number;
  /** Whether a chosen match came from the policy's bannedWords / from the personal terms. */
  banned: boolean;
  personal: boolean;
}

/**
 * Scores a password already in matching form (spec §4, Entra's algorithm). Where matches overlap,
 * the password gets the lowest score found over the ways to choose them (lowest-cover.ts), and the
 * spec's "longest wins" only breaks ties: a password must not pass because one reading of it
 * leaves characters over that another reading covers.
 *
 * A term found twice scores 1, not 2: Entra gives "one point" to "each banned password that's
 * found", and repeating a banned word adds almost nothing an attacker has to guess.
 */
export function scoreFoldedPassword(folded: string, terms: readonly Term[]): TermScore {
  const password = codePoints(folded);
  const cover = lowestCover(findTermMatches(password, terms), password.length);
  let banned = false;
  let personal = false;
  for (const match of cover.matches) {
    const term = terms[match.term];
    banned ||= term?.banned ?? false;
    personal ||= term?.personal ?? false;
  }
  return { score: cover.score, banned, personal };
}

/** The score of a password as typed, against the policy's banned words and the user's personal terms. */
export function passwordTermScore(
  password: string,
  bannedWords: readonly string[],
  context: PasswordContext,
): TermScore {
  return scoreFoldedPassword(matchingForm(password), collectTerms(bannedWords, context));
}
