import { expect, it } from "vitest";
import { DEFAULT_POLICY } from "../../../shared/policy/defaults.js";
import { ALL_FIELDS, fieldOfPath } from "../../../web/admin/src/policy/fields.js";
import { localErrors } from "../../../web/admin/src/policy/policy-page.js";

it("maps an error path, an item's included, to the field that shows it", () => {
  expect(fieldOfPath("passwordPolicy.minLength")).toBe("passwordPolicy.minLength");
  expect(fieldOfPath("securityQuestions.custom.2.text")).toBe("securityQuestions.custom");
  expect(fieldOfPath("signInPages.0")).toBe("signInPages");
  expect(fieldOfPath("nothing.here")).toBeNull();
});

it("checks a draft with the shared schema, ranges and cross-field rules included", () => {
  expect(localErrors(DEFAULT_POLICY)).toEqual({});
  const draft = { ...DEFAULT_POLICY, passwordPolicy: { ...DEFAULT_POLICY.passwordPolicy, minLength: 7 }, methods: { ...DEFAULT_POLICY.methods, available: ["security_questions" as const] } };
  expect(localErrors(draft)).toEqual({
    "passwordPolicy.minLength": "Enter a whole number from 8 to 64.",
    "methods.available": "Offer at least one method other than security questions.",
  });
  const lines = { ...DEFAULT_POLICY, passwordPolicy: { ...DEFAULT_POLICY.passwordPolicy, bannedWords: ["contoso", "ab"] } };
  expect(localErrors(lines)["passwordPolicy.bannedWords"]).toMatch(/^Line 2: /);
});

/** Leaf paths of a policy: a list is one field, like its editor. */
const leafPaths = (value: unknown, prefix = ""): string[] =>
  value !== null && typeof value === "object" && !Array.isArray(value)
    ? Object.entries(value).flatMap(([k, v]) => leafPaths(v, prefix ? `${prefix}.${k}` : k))
    : [prefix];

it("has an input for every setting of the policy (issue 14: every field on one page)", () => {
  const shown = new Set(ALL_FIELDS.map((f) => f.path));
  expect(leafPaths(DEFAULT_POLICY).filter((p) => !shown.has(p))).toEqual([]);
});
