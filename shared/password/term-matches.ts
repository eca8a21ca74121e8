import type { Term } from "./banned-terms.js";
import { withinOneEdit } from "./edit-distance.js";

/** A substring [start, end) of the folded password within one edit of terms[term]. */
export interface TermMatch {
  start: number;
  end: number;
  term: number;
}

/**
 * Every substring of the password within edit distance 1 of some term (spec §4).
 *
 * Checking every start × 3 lengths × every term is ~800k comparisons for 1000 terms and a
 * 256-character password, too slow for a keystroke. One edit can only disturb one half of a term,
 * so a match always contains the term's first half at its start or its second half at its end,
 * unchanged. We find those halves through an index of the password's two-character pairs and only
 * verify the few candidates they anchor. Terms have at least 4 code points, so each half has ≥ 2.
 */
export function findTermMatches(password: readonly string[], terms: readonly Term[]): TermMatch[] {
  const n = password.length;
  const pairs = pairIndex(password);
  // One match per span (the lowest term index) bounds the work when an odd list ("aaab", "aaac",
  // …) meets a password like "aaaa…" that matches every term at every position. The cover may then
  // count a second term where another choice of term for the span would reuse one: at most a point
  // for lists built that way, never a pass for a password made of one repeated term.
  const longest = terms.reduce((max, term) => Math.max(max, term.text.length + 1), 0);
  const stride = longest + 1;
  const spanTaken = new Uint8Array(n * stride);
  const matches: TermMatch[] = [];
  terms.forEach((term, t) => {
    const text = term.text;
    const m = text.length;
    const half = m >> 1;
    const tryAt = (start: number, length: number) => {
      if (start < 0 || start + length > n) return;
      const span = start * stride + length;
      if (spanTaken[span] === 1 || !withinOneEdit(password, start, start + length, text)) return;
      spanTaken[span] = 1;
      matches.push({ start, end: start + length, term: t });
    };
    // First half intact: the edit comes later, so the match starts where the half does.
    for (const at of occurrences(password, pairs, text, 0, half)) {
      for (let length = m - 1; length <= m + 1; length++) tryAt(at, length);
    }
    // Second half intact: the match ends where the half ends.
    for (const at of occurrences(password, pairs, text, half, m)) {
      const end = at + (m - half);
      for (let length = m - 1; length <= m + 1; length++) tryAt(end - length, length);
    }
  });
  return matches;
}

function pairIndex(password: readonly string[]): Map<string, number[]> {
  const index = new Map<string, number[]>();
  for (let i = 0; i + 1 < password.length; i++) {
    // Each element is one whole code point, so concatenating two is unambiguous.
    const key = `${password[i]}${password[i + 1]}`;
    const list = index.get(key);
    if (list) list.push(i);
    else index.set(key, [i]);
  }
  return index;
}

/** Positions where term[from, to) occurs exactly in the password. */
function occurrences(
  password: readonly string[],
  pairs: Map<string, number[]>,
  term: readonly string[],
  from: number,
  to: number,
): number[] {
  const anchored = pairs.get(`${term[from]}${term[from + 1]}`);
  if (!anchored) return [];
  return anchored.filter((at) => {
    for (let k = 2; k < to - from; k++) {
      if (password[at + k] !== term[from + k]) return false;
    }
    return true;
  });
}
