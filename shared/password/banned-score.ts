import { collectTerms, type Term } from "./banned-terms.js";
import { codePoints, matchingForm } from "./normalise.js";
import type { PasswordContext } from "./rules.js";
import { findTermMatches, type TermMatch } from "./term-matches.js";

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
 * Scores a password already in matching form (spec §4, Entra's algorithm). Overlapping matches are
 * resolved greedily, longest first (then leftmost), as the spec says "the longest wins"; this is
 * not always the lowest possible score, but it is what Entra documents and it is predictable.
 *
 * A term found twice scores 1, not 2: Entra gives "one point" to "each banned password that's
 * found", and repeating a banned word adds almost nothing an attacker has to guess.
 */
export function scoreFoldedPassword(folded: string, terms: readonly Term[]): TermScore {
  const password = codePoints(folded);
  const chosen = chooseMatches(findTermMatches(password, terms), password.length);
  let covered = 0;
  let banned = false;
  let personal = false;
  const matchedTerms = new Set<number>();
  for (const match of chosen) {
    covered += match.end - match.start;
    matchedTerms.add(match.term);
    const term = terms[match.term];
    banned ||= term?.banned ?? false;
    personal ||= term?.personal ?? false;
  }
  return { score: matchedTerms.size + password.length - covered, banned, personal };
}

function chooseMatches(matches: TermMatch[], length: number): TermMatch[] {
  const ordered = [...matches].sort(
    (a, b) => b.end - b.start - (a.end - a.start) || a.start - b.start || a.term - b.term,
  );
  const taken = new Uint8Array(length);
  const chosen: TermMatch[] = [];
  for (const match of ordered) {
    if (taken.subarray(match.start, match.end).some((x) => x === 1)) continue;
    taken.fill(1, match.start, match.end);
    chosen.push(match);
  }
  return chosen;
}

/** The score of a password as typed, against the policy's banned words and the user's personal terms. */
export function passwordTermScore(
  password: string,
  bannedWords: readonly string[],
  context: PasswordContext,
): TermScore {
  return scoreFoldedPassword(matchingForm(password), collectTerms(bannedWords, context));
}
