import type { TermMatch } from "./term-matches.js";

/** Non-overlapping matches chosen from the password's matches, and the characters they leave. */
export interface Cover {
  matches: TermMatch[];
  uncovered: number;
  /** Spec §4's score of this cover: 1 per distinct term + 1 per uncovered character. */
  score: number;
}

/**
 * The cover with the lowest score we can find (issue 11, item 10). Greedy longest-first left
 * characters uncovered that another choice covers: "alicealicealicel" went [alicea][licea]… and
 * scored 5 for a password that is nothing but "alice".
 *
 * The score counts a term once however often it is used, which makes the exact minimum a set-cover
 * problem. Two shortest-path passes over the positions (each O(length + matches)) bracket it:
 * one counts every match as a point, the other charges only for uncovered characters (so repeating
 * a term, which the distinct count makes free, is covered completely). Each yields a real cover;
 * the lower score wins, and ties go to the first pass, whose covers use fewer, longer matches.
 */
export function lowestCover(matches: readonly TermMatch[], length: number): Cover {
  const byStart: TermMatch[][] = Array.from({ length }, () => []);
  for (const match of matches) byStart[match.start]?.push(match);
  // Longest first, so that among equally cheap matches the longest wins (spec §4).
  for (const list of byStart) list.sort((a, b) => b.end - a.end || a.term - b.term);
  // Weights that order (primary, secondary) costs: a secondary total never reaches one primary unit.
  const unit = length + 1;
  const everyMatchAPoint = cheapest(byStart, length, { character: unit + 1, match: unit });
  const onlyCharactersCount = cheapest(byStart, length, { character: unit, match: 1 });
  return onlyCharactersCount.score < everyMatchAPoint.score ? onlyCharactersCount : everyMatchAPoint;
}

/** Shortest path from position 0 to the end: step one character (uncovered) or jump over a match. */
function cheapest(byStart: readonly TermMatch[][], length: number, weight: { character: number; match: number }): Cover {
  const cost = new Float64Array(length + 1);
  const via: (TermMatch | null)[] = new Array(length).fill(null);
  for (let i = length - 1; i >= 0; i--) {
    cost[i] = cost[i + 1]! + weight.character;
    for (const match of byStart[i]!) {
      const through = cost[match.end]! + weight.match;
      if (through < cost[i]!) {
        cost[i] = through;
        via[i] = match;
      }
    }
  }
  const chosen: TermMatch[] = [];
  let uncovered = 0;
  for (let i = 0; i < length; ) {
    const match = via[i];
    if (match) {
      chosen.push(match);
      i = match.end;
    } else {
      uncovered++;
      i++;
    }
  }
  return { matches: chosen, uncovered, score: new Set(chosen.map((m) => m.term)).size + uncovered };
}
