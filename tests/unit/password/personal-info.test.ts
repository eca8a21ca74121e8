import { describe, expect, it } from "vitest";
import { evaluatePassword, passwordTermScore, type PasswordContext } from "../../../shared/password/index.js";
import { testPolicy } from "./policy-fixture.js";

const jane: PasswordContext = {
  username: "jane.doe@example.com",
  displayName: "Jane Doe",
  orgName: "Contoso Pharma",
};

// Jane's terms, folded: "jane.doeaexample.com", "jane.doe", "jane", "contoso pharma",
// "contosopharma", "contoso", "pharma". "doe" is under 4 characters, so not a term.
describe("personal information", () => {
  it.each([
    // [janedoe] is one deletion from "jane.doe"; + !.
    ["JaneDoe!", 2, false],
    ["Jane.Doe@example.com", 1, false],
    // "jane.doel" is one insertion from "jane.doe".
    ["Jane.Doe1", 1, false],
    ["jdoe-Maple-Garden-42", 20, true],
    // "Pharma24!" folds to "pharma2a!": [pharma2] + a + !.
    ["Pharma24!", 3, false],
    // [pharma-] + 11.
    ["Pharma-Blue-Kettle", 12, true],
    // The org name without its space: [contosopharma!].
    ["ContosoPharma!", 1, false],
  ] as const)("%s scores %i", (password, score, passes) => {
    expect(passwordTermScore(password, [], jane).score).toBe(score);
    const rules = evaluatePassword(password, testPolicy(), jane).map((hit) => hit.rule);
    expect(rules).toEqual(passes ? [] : ["personal_info"]);
  });

  it("ignores terms shorter than 4 characters", () => {
    const context = { username: "bob", displayName: "Bo Li", orgName: "ACME Co" };
    // Only "acme co", "acmeco" and "acme" are terms; none is in the password.
    expect(passwordTermScore("Bob!Bob!Bob!Bob!", [], context).score).toBe(16);
    expect(evaluatePassword("Bob!Bob!Bob!Bob!", testPolicy(), context)).toEqual([]);
  });

  it("splits display names on punctuation", () => {
    const context = { displayName: "Siobhán O'Reilly-Smith" };
    // "reilly" is a term: [reilly!] (one insertion) + ! = 2.
    expect(passwordTermScore("Reilly!!", [], context).score).toBe(2);
    expect(passwordTermScore("Siobhán!!", [], context).score).toBe(2);
    expect(passwordTermScore("Smith-Reilly", [], context).score).toBe(2);
  });

  it("matches the org name as one word", () => {
    // "DemoOrg2024" folds to "demoorg2o2a": [demoorg2] + o + 2 + a = 4.
    const context = { orgName: "Demo Org" };
    expect(passwordTermScore("DemoOrg2024", [], context).score).toBe(4);
    expect(evaluatePassword("DemoOrg2024", testPolicy(), context).map((hit) => hit.rule)).toEqual(["personal_info"]);
  });

  it("has nothing to match without a context", () => {
    expect(evaluatePassword("JaneDoe!", testPolicy(), {})).toEqual([]);
  });
});
