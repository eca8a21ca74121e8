import { describe, expect, it } from "vitest";
import { isMatchPattern, isSignInPagePattern, matchesEveryHost } from "../../../shared/policy/match-pattern.js";

/**
 * A sign-in page pattern names the sites whose typed passwords the extension checks with the worker
 * (issue 11, item 13): one that reaches every website would hand it every password the user types.
 */
describe("sign-in page patterns", () => {
  it.each([
    "<all_urls>",
    "*://*/*",
    "https://*/*",
    "http://*/login/*",
    "*://*:8443/*",
    "https://*.com/*",
    "*://*.localhost/*",
    // Chrome drops one trailing dot from a pattern's host before matching, and compares hosts in lower case.
    "*://*.com./*",
    "https://*.COM./login",
    "*://*.Com/*",
  ])("refuses %s, which matches every host (or a whole top-level domain)", (pattern) => {
    expect(matchesEveryHost(pattern)).toBe(true);
    expect(isSignInPagePattern(pattern)).toBe(false);
  });

  it.each(["https://login.example.com/*", "*://*.example.com/*", "https://*.example.co.uk/sso/*", "http://127.0.0.1:8787/demo/*", "file:///home/sso.html"])(
    "accepts %s",
    (pattern) => {
      expect(isMatchPattern(pattern)).toBe(true);
      expect(matchesEveryHost(pattern)).toBe(false);
      expect(isSignInPagePattern(pattern)).toBe(true);
    },
  );

  it("still refuses what isn't a match pattern at all", () => {
    expect(isSignInPagePattern("login.example.com")).toBe(false);
  });
});
