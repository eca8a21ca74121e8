import { describe, expect, it } from "vitest";
import { normaliseWorkerUrl, originPattern } from "../../../extension/worker-url.js";

describe("normaliseWorkerUrl", () => {
  it.each([
    ["https://sspr.example.com", "https://sspr.example.com"],
    ["https://sspr.example.com/", "https://sspr.example.com"],
    ["  sspr.example.com  ", "https://sspr.example.com"],
    ["https://example.com/sspr/", "https://example.com/sspr"],
    ["HTTPS://SSPR.Example.COM", "https://sspr.example.com"],
    ["http://127.0.0.1:8787", "http://127.0.0.1:8787"],
    ["http://localhost:8787/", "http://localhost:8787"],
  ])("accepts %s as %s", (input, expected) => {
    expect(normaliseWorkerUrl(input)).toBe(expected);
  });

  it.each(["", "http://sspr.example.com", "ftp://sspr.example.com", "https://user:pw@sspr.example.com", "https://sspr.example.com/?a=1", "https://sspr.example.com/#x", "javascript:alert(1)", "https://"])(
    "refuses %s",
    (input) => {
      expect(normaliseWorkerUrl(input)).toBeNull();
    },
  );

  it("gives Firefox the origin pattern to ask access for", () => {
    expect(originPattern("https://example.com/sspr")).toBe("https://example.com/*");
  });
});
