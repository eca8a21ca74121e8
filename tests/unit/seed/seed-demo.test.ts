import { describe, expect, it } from "vitest";
import { verifyPassword } from "../../../worker/src/crypto/password-hash.js";
import { DEMO_ACCOUNTS, demoSeedSql } from "../../../scripts/seed-demo.js";

// The demo seed hashes in Node, where `#argon2-wasm` compiles the same Argon2 build from its file.
describe("demo seed", () => {
  it("stores a default-cost hash of each demo account's password", () => {
    const hashes = [...demoSeedSql(8787).matchAll(/'(\$argon2id\$[^']+)'/g)].map((m) => m[1]!);
    expect(hashes).toHaveLength(DEMO_ACCOUNTS.length);
    DEMO_ACCOUNTS.forEach((account, i) => {
      expect(hashes[i]).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
      expect(verifyPassword(account.password, hashes[i]!)).toBe(true);
      expect(verifyPassword(`${account.password}!`, hashes[i]!)).toBe(false);
    });
  });
});
