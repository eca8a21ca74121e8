import { describe, expect, it } from "vitest";
import type { Term } from "../../../shared/password/banned-terms.js";
import { withinOneEdit } from "../../../shared/password/edit-distance.js";
import { findTermMatches } from "../../../shared/password/term-matches.js";

function levenshtein(a: readonly string[], b: readonly string[]): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const substitution = (previous[j - 1] ?? 0) + (a[i - 1] === b[j - 1] ? 0 : 1);
      current[j] = Math.min((previous[j] ?? 0) + 1, (current[j - 1] ?? 0) + 1, substitution);
    }
    previous = current;
  }
  return previous[b.length] ?? 0;
}

// Deterministic, so a failure reproduces.
function random(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function word(next: () => number, min: number, max: number, alphabet: string): string[] {
  const length = min + Math.floor(next() * (max - min + 1));
  return Array.from({ length }, () => alphabet[Math.floor(next() * alphabet.length)] ?? "a");
}

describe("withinOneEdit", () => {
  it.each([
    ["contoso", "contoso", true],
    ["contosso", "contoso", true], // insertion
    ["kontoso", "contoso", true], // substitution
    ["contso", "contoso", true], // deletion
    ["cotnoso", "contoso", false], // transposition = 2 edits
    ["contosoxx", "contoso", false],
    ["🔐ontoso", "contoso", true], // an emoji is one code point, so one edit
  ] as const)("%s vs %s", (text, term, expected) => {
    const chars = Array.from(text);
    expect(withinOneEdit(chars, 0, chars.length, Array.from(term))).toBe(expected);
  });

  it("agrees with a full Levenshtein distance on random strings, at any offset", () => {
    const next = random(1);
    for (let run = 0; run < 5000; run++) {
      const prefix = word(next, 0, 3, "abc");
      const a = word(next, 0, 7, "abc");
      const b = word(next, 0, 7, "abc");
      const text = [...prefix, ...a, ...word(next, 0, 3, "abc")];
      const got = withinOneEdit(text, prefix.length, prefix.length + a.length, b);
      expect(got, `${a.join("")} vs ${b.join("")}`).toBe(levenshtein(a, b) <= 1);
    }
  });
});

describe("findTermMatches", () => {
  it("finds exactly the spans a brute-force search finds", () => {
    const next = random(2);
    for (let run = 0; run < 500; run++) {
      const password = word(next, 0, 24, "abcd");
      const terms: Term[] = Array.from({ length: 1 + Math.floor(next() * 4) }, () => ({
        text: word(next, 4, 8, "abcd"),
        banned: true,
        personal: false,
      }));
      const expected = new Map<string, number>();
      for (let start = 0; start < password.length; start++) {
        for (let end = start + 1; end <= password.length; end++) {
          const t = terms.findIndex(
            (term) => levenshtein(password.slice(start, end), term.text) <= 1,
          );
          if (t >= 0) expected.set(`${start}-${end}`, t);
        }
      }
      const found = new Map(findTermMatches(password, terms).map((m) => [`${m.start}-${m.end}`, m.term]));
      expect(found).toEqual(expected);
    }
  });
});
