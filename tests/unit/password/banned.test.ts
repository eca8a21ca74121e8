import { describe, expect, it } from "vitest";
import { evaluatePassword, MIN_TERM_SCORE, passwordTermScore } from "../../../shared/password/index.js";
import { testPolicy } from "./policy-fixture.js";

// Scores worked by hand (spec §4): fold, find spans within one edit of a term, choose the
// non-overlapping ones that give the lowest score (longest first among equals), then 1 per
// distinct term + 1 per character left over.
describe("banned words (Entra's scoring)", () => {
  it.each([
    // Entra's documented pair, with "contoso" and "blank" banned. Entra scores the first 4 and the
    // second 5 (accepted), counting "blank" as exactly those five letters. Here a term also takes
    // one edit, and the score is the lowest cover (issue 11): folding turns "12" into "l2", and
    // [blankl] is "blank" + one insertion: [contoso] + [blankl] + 2 = 3.
    ["C0ntos0Blank12", ["contoso", "blank"], 3],
    // Likewise [contoso] + [blankf] + 9 + ! = 4: refused, where Entra accepts it. One letter typed
    // after a banned word is what one edit allows; the lowest cover no longer hides that behind
    // the other cover ([contosob] + [lank] + f + 9 + !) that happens to score 5.
    ["ContoS0Bl@nkf9!", ["contoso", "blank"], 4],
    // "contoso!" is one insertion away from "contoso": a single span.
    ["C0nt0s0!", ["contoso"], 1],
    // [contoso-] + 14 characters.
    ["contoso-Tree-Rabbit-77", ["contoso"], 15],
    // One insertion: [contosso] + !.
    ["Contosso!", ["contoso"], 2],
    // One substitution: [kontoso] + 2 o 2 a ("2024" folds to "2o2a"), just enough.
    ["Kontoso2024", ["contoso"], 5],
    ["Kontoso2!", ["contoso"], 3],
    // A transposition is two edits, so no span of "cotnoso" matches.
    ["Cotnoso", ["contoso"], 7],
    // …but "contsoo" contains "contso", one deletion from "contoso": [contso] + o.
    ["contsoo", ["contoso"], 2],
    // Longest wins: [bluebirdx] beats [blue] + [bird]; + y z !.
    ["bluebirdxyz!", ["blue", "bird", "bluebird"], 4],
    // A term scores once however often it appears: [contoso!][contoso!].
    ["Contoso!Contoso!", ["contoso"], 1],
    // Banned words are folded like the password, and NFKC maps full-width letters to ASCII.
    ["contoso!", ["C0nt0so"], 1],
    ["ｃｏｎｔｏｓｏ!", ["contoso"], 1],
    // No term at all: every character scores.
    ["Ab1!", ["contoso"], 4],
  ] as const)("%s scores %i", (password, bannedWords, score) => {
    expect(passwordTermScore(password, bannedWords, {}).score).toBe(score);
    const banned = evaluatePassword(password, testPolicy({ minLength: 1, bannedWords: [...bannedWords] }), {})
      .some((hit) => hit.rule === "banned");
    // A low score without any matched term is min_length's business, not "banned".
    expect(banned).toBe(score < MIN_TERM_SCORE && password !== "Ab1!");
  });

  it("reports nothing for a password without banned words", () => {
    const policy = testPolicy({ bannedWords: ["contoso", "blank"] });
    expect(evaluatePassword("maple-river-quartz", policy, {})).toEqual([]);
  });

  it("attributes an overlap to the longest match only", () => {
    // [dragonflyl] (the personal term "dragonfly" + one insertion) swallows the banned "dragon".
    const policy = testPolicy({ bannedWords: ["dragon"] });
    const hits = evaluatePassword("Dragonfly1!", policy, { displayName: "Dragonfly Smith" });
    expect(hits.map((hit) => hit.rule)).toEqual(["personal_info"]);
  });

  it("reports both rules when the chosen matches come from both lists", () => {
    // [summer] (banned) + [jane!] (personal "jane", one insertion) = 2.
    const policy = testPolicy({ bannedWords: ["summer"] });
    const context = { displayName: "Jane Doe" };
    expect(passwordTermScore("SummerJane!", ["summer"], context)).toEqual({ score: 2, banned: true, personal: true });
    expect(evaluatePassword("SummerJane!", policy, context).map((hit) => hit.rule)).toEqual(["banned", "personal_info"]);
  });

  it("reports both rules when a term is on both lists", () => {
    const policy = testPolicy({ minLength: 1, bannedWords: ["contoso"] });
    const hits = evaluatePassword("Contoso!", policy, { orgName: "Contoso" });
    expect(hits.map((hit) => hit.rule)).toEqual(["banned", "personal_info"]);
  });
});
