import { describe, expect, it } from "vitest";
import { patternText } from "../../../extension/options/pattern-text.js";
import { isMatchPattern } from "../../../shared/policy/match-pattern.js";

describe("patternText", () => {
  it.each([
    // A plain host: no scheme, no trailing `*`.
    ["http://127.0.0.1:37195/demo/*", "127.0.0.1:37195/demo/"],
    ["https://login.example.com/*", "login.example.com"],
    ["*://login.example.com/*", "login.example.com"],
    ["https://login.example.com/sso/login", "login.example.com/sso/login"],
    ["https://login.example.com/", "login.example.com/"],
    ["https://login.example.com/*/signin", "login.example.com/*/signin"],
    // Host wildcards, in words.
    ["*://*.example.com/*", "example.com and its subdomains"],
    ["https://*.example.com/sso/*", "/sso/ on example.com and its subdomains"],
    ["https://*.example.com:8443/*", "example.com:8443 and its subdomains"],
    // Any port.
    ["http://localhost:*/demo/*", "localhost/demo/ (any port)"],
    // The other schemes the policy allows keep what sets them apart.
    ["ftp://files.example.com/*", "ftp://files.example.com"],
    ["file:///*", "Files on this computer"],
    ["file:///home/jane/*", "/home/jane/ on this computer"],
  ])("reads %s as %s", (pattern, text) => {
    expect(isMatchPattern(pattern)).toBe(true);
    expect(patternText(pattern)).toBe(text);
  });

  it("shows anything it doesn't recognise as it is", () => {
    expect(patternText("chrome://settings/*")).toBe("chrome://settings/*");
  });
});
