import { describe, expect, it } from "vitest";
import { typedByUser } from "../../../extension/signin-detection/typed-by-user.js";

/** The login-CSRF rule (issue 11, item 12): a password is taken only when the user put it in the field. */
describe("typedByUser", () => {
  it.each([
    ["typed by the user, unchanged since", { value: "pw-typed", typed: "pw-typed", autofilled: false }, true],
    ["filled by the browser's password manager, unchanged since", { value: "pw-saved", typed: undefined, autofilled: true }, true],
    ["set by a script, never typed", { value: "attacker-pw", typed: undefined, autofilled: false }, false],
    ["typed, then replaced by a script", { value: "attacker-pw", typed: "pw-typed", autofilled: false }, false],
    ["typed in part, then completed by a script", { value: "pw-typed-more", typed: "pw-typed", autofilled: false }, false],
    ["empty", { value: "", typed: "", autofilled: true }, false],
  ])("%s → %s", (_, facts, taken) => {
    expect(typedByUser(facts)).toBe(taken);
  });
});
