import { describe, expect, it } from "vitest";
import { matchesPattern } from "../../../extension/background/page-match.js";

describe("matchesPattern", () => {
  it.each([
    ["http://127.0.0.1:8787/demo/login", "http://127.0.0.1:8787/demo/*", true],
    ["http://127.0.0.1:9999/demo/login", "http://127.0.0.1:8787/demo/*", false],
    ["http://127.0.0.1:9999/demo/login", "http://127.0.0.1/demo/*", true],
    ["http://127.0.0.1:8787/other", "http://127.0.0.1:8787/demo/*", false],
    ["https://login.example.com/sso?next=/", "https://login.example.com/*", true],
    ["http://login.example.com/", "https://login.example.com/*", false],
    ["https://a.b.example.com/x", "*://*.example.com/*", true],
    ["https://example.com/x", "*://*.example.com/*", true],
    ["https://badexample.com/x", "*://*.example.com/*", false],
    ["https://example.com.evil.test/x", "*://*.example.com/*", false],
    ["ftp://example.com/x", "*://*.example.com/*", false],
    ["https://login.example.com/a/sso/b", "https://login.example.com/*/sso/*", true],
    ["https://anything.test/", "<all_urls>", true],
    ["https://login.example.com/", "not a pattern", false],
    ["not a url", "https://login.example.com/*", false],
    ["https://login.example.com:8443/", "https://login.example.com:*/*", true],
  ])("%s against %s: %s", (url, pattern, expected) => {
    expect(matchesPattern(url, pattern)).toBe(expected);
  });
});
