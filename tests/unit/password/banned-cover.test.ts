import { describe, expect, it } from "vitest";
import { evaluatePassword, MIN_TERM_SCORE, passwordTermScore, type PasswordContext } from "../../../shared/password/index.js";
import { testPolicy } from "./policy-fixture.js";

/** mulberry32: a tiny seeded generator, so a failing case can be replayed from its seed. */
function random(seed: number) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (lo: number, hi: number) => lo + Math.floor(next() * (hi - lo + 1));
  const pick = <T>(items: readonly T[]): T => items[int(0, items.length - 1)] as T;
  return { int, pick };
}

type Random = ReturnType<typeof random>;

const LETTERS = "abcdefghijklmnopqrstuvwxyz";
// What a user might put in place of one character: any printable ASCII (the leet digits and
// symbols among them), and letters that stay one code point after NFKC and lower-casing.
const SUBSTITUTES = [...Array.from({ length: 94 }, (_, i) => String.fromCharCode(33 + i)), "é", "ø", "ж", "ß", "ü"];

const word = (r: Random, min: number, max: number) => Array.from({ length: r.int(min, max) }, () => r.pick([...LETTERS])).join("");
const capitalised = (w: string) => w.charAt(0).toUpperCase() + w.slice(1);
/** Case does not matter to the rule; mixing it proves that. */
const randomCase = (r: Random, text: string) => [...text].map((ch) => (r.int(0, 1) ? ch.toUpperCase() : ch)).join("");

type Source = "banned" | "username" | "displayName" | "orgName";

/** A user, a policy list and one of their terms, as the user would type it. */
function scenario(r: Random, source: Source) {
  const bannedWords = Array.from({ length: r.int(1, 5) }, () => word(r, 4, 16));
  const first = word(r, 4, 10);
  const last = word(r, 4, 10);
  const orgWords = [capitalised(word(r, 4, 8)), capitalised(word(r, 4, 8))];
  const context: PasswordContext = { username: word(r, 4, 12), displayName: `${capitalised(first)} ${capitalised(last)}`, orgName: orgWords.join(" ") };
  const term = {
    banned: () => r.pick(bannedWords),
    username: () => context.username!,
    displayName: () => r.pick([first, last]),
    orgName: () => r.pick([...orgWords, orgWords.join("")]),
  }[source]();
  return { bannedWords, context, term };
}

/** The term 1–8 times over, with one character (anywhere) replaced by anything. */
function repeatedWithOneSubstitution(r: Random, term: string): string {
  const chars = [...randomCase(r, term.repeat(r.int(1, 8)))];
  chars[r.int(0, chars.length - 1)] = r.pick(SUBSTITUTES);
  return chars.join("");
}

describe("banned-term score: the lowest cover", () => {
  it("scores alicealicealice1 for alice as one term plus nothing", () => {
    // Greedy longest-first took [alicea] + [licea]… and left characters over (score 5, a pass).
    const context = { username: "alice" };
    expect(passwordTermScore("alicealicealice1", [], context).score).toBe(1);
    expect(evaluatePassword("alicealicealice1", testPolicy(), context).map((hit) => hit.rule)).toEqual(["personal_info"]);
  });

  it.each(["banned", "username", "displayName", "orgName"] as const)(
    "never passes a %s term repeated 1–8 times with one character substituted",
    (source) => {
      for (let seed = 1; seed <= 400; seed++) {
        const r = random(seed * 31 + source.length);
        const { bannedWords, context, term } = scenario(r, source);
        const password = repeatedWithOneSubstitution(r, term);
        const score = passwordTermScore(password, bannedWords, context).score;
        expect(score, `seed ${seed}: ${JSON.stringify(password)} for ${JSON.stringify(term)}`).toBeLessThan(MIN_TERM_SCORE);
        const rules = evaluatePassword(password, testPolicy({ minLength: 1, bannedWords }), context).map((hit) => hit.rule);
        expect(rules.some((rule) => rule === "banned" || rule === "personal_info"), `seed ${seed}: ${JSON.stringify(password)}`).toBe(true);
      }
    },
  );
});
