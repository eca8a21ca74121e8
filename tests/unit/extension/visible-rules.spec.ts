import { describe, expect, it } from "vitest";
import { visibleRules } from "../../../extension/ui/visible-rules.js";
import { passwordRuleSummary } from "../../../shared/password/summary.js";
import { DEFAULT_POLICY } from "../../../shared/policy/defaults.js";

const rules = passwordRuleSummary({ ...DEFAULT_POLICY.passwordPolicy, maxLength: 64 });
const shown = (password: string) => visibleRules(rules, password, 64).map((r) => r.rule);

describe("visibleRules", () => {
  it("leaves out the maximum length while the password is well under it", () => {
    expect(shown("")).not.toContain("max_length");
    expect(shown("a".repeat(51))).not.toContain("max_length");
    expect(shown("a".repeat(51))).toContain("min_length");
  });

  it("shows it from 80% of the limit, and past the limit, in the policy's order", () => {
    expect(shown("a".repeat(52))).toEqual(rules.map((r) => r.rule));
    expect(shown("a".repeat(65))).toContain("max_length");
  });

  it("counts code points after NFKC, as the rule itself does", () => {
    // 52 emoji are 104 UTF-16 units but 52 characters; "ﬀ" (one ligature) is two letters after NFKC.
    expect(shown("🔐".repeat(51))).not.toContain("max_length");
    expect(shown("🔐".repeat(52))).toContain("max_length");
    expect(shown("ﬀ".repeat(26))).toContain("max_length");
  });
});
