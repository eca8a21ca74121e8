import { describe, expect, it } from "vitest";
import { argon2id, wasmMemoryBytes } from "../../worker/src/crypto/argon2id.js";
import { hashPassword, KDF_PROFILES, needsRehash, verifyNothing, verifyPassword } from "../../worker/src/crypto/password-hash.js";

const hex = (bytes: Uint8Array) => Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");

/**
 * Argon2id version 0x13 vectors of the reference implementation (P-H-C/phc-winner-argon2, src/test.c),
 * password "password", salt "somesalt". RFC 9106's own vector also needs a secret and associated data,
 * which this build's argon2_hash does not take.
 */
const REFERENCE = [
  { m: 256, t: 2, p: 1, hex: "9dfeb910e80bad0311fee20f9c0e2b12c17987b4cac90c2ef54d5b3021c68bfe", phc: "$argon2id$v=19$m=256,t=2,p=1$c29tZXNhbHQ$nf65EOgLrQMR/uIPnA4rEsF5h7TKyQwu9U1bMCHGi/4" },
  { m: 256, t: 2, p: 2, hex: "6d093c501fd5999645e0ea3bf620d7b8be7fd2db59c20d9fff9539da2bf57037", phc: "$argon2id$v=19$m=256,t=2,p=2$c29tZXNhbHQ$bQk8UB/VmZZF4Oo79iDXuL5/0ttZwg2f/5U52iv1cDc" },
];

/** Made by the @noble/hashes implementation this replaced (default profile), so stored hashes keep verifying. */
const NOBLE_HASHES = [
  { password: "correct horse battery staple", phc: "$argon2id$v=19$m=19456,t=2,p=1$6lMQwZnotdiTI/AaAQYv2g$oiRukn2eeyquyLZDUXuhDUtyR7b0RY/Z5u57thFZRQU" },
  { password: "Grüße, señor: 😀 パスワード", phc: "$argon2id$v=19$m=19456,t=2,p=1$yXtVdgd40tZxQYwYWhmNzw$sXz0JQDAnFpPteB+xdXcEWQVOIOrKdEqnjJhQFuzIVc" },
  { password: "Grüße, señor: 😀 パスワード", phc: "$argon2id$v=19$m=64,t=1,p=1$Nw70dDukriCV/PKOwZ65Iw$E4GehjOcBnWdU/rEKOQBi9Ylg9C3xa6hHWwCoO2Bz34" },
];

describe("argon2id (WebAssembly)", () => {
  it.each(REFERENCE)("matches the reference implementation at m=$m t=$t p=$p", ({ m, t, p, hex: expected, phc }) => {
    expect(hex(argon2id(new TextEncoder().encode("password"), new TextEncoder().encode("somesalt"), { m, t, p }, 32))).toBe(expected);
    expect(verifyPassword("password", phc)).toBe(true);
    expect(verifyPassword("passwore", phc)).toBe(false);
  });

  it.each(NOBLE_HASHES)("verifies a hash made by the previous implementation: $phc", ({ password, phc }) => {
    expect(verifyPassword(password, phc)).toBe(true);
    expect(verifyPassword(password.slice(0, -1), phc)).toBe(false);
  });

  it("hashes every UTF-8 byte of a non-ASCII password, not a UTF-16-length prefix", () => {
    const hash = hashPassword("é", KDF_PROFILES.test);
    expect(verifyPassword("é", hash)).toBe(true);
    // Same UTF-16 length, same first UTF-8 byte (0xC3): a prefix-only hash would accept it.
    expect(verifyPassword("ê", hash)).toBe(false);
  });

  it("takes the password in NFKC form, so compatibility variants match", () => {
    const hash = hashPassword("ｐａｓｓｗｏｒｄ①", KDF_PROFILES.test);
    expect(verifyPassword("password1", hash)).toBe(true);
  });

  it("hashes the empty string", () => {
    expect(verifyPassword("", hashPassword("", KDF_PROFILES.test))).toBe(true);
  });

  it("writes the PHC string with the profile's parameters and a fresh salt each time", () => {
    const a = hashPassword("same password", KDF_PROFILES.default);
    const b = hashPassword("same password", KDF_PROFILES.default);
    expect(a).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$[A-Za-z0-9+/]{22}\$[A-Za-z0-9+/]{43}$/);
    expect(a).not.toBe(b);
    expect(needsRehash(a, KDF_PROFILES.default)).toBe(false);
    expect(needsRehash(a, KDF_PROFILES.test)).toBe(true);
  });

  it("rejects malformed stored hashes without running the KDF", () => {
    for (const bad of ["", "$argon2i$v=19$m=256,t=2,p=1$c29tZXNhbHQ$nf65EOgLrQMR/uIPnA4rEsF5h7TKyQwu9U1bMCHGi/4", "plain text"]) {
      expect(verifyPassword("password", bad)).toBe(false);
    }
  });

  it("keeps one heap: memory stops growing after the first default-cost hash", () => {
    verifyNothing("warm up", KDF_PROFILES.default);
    const after = wasmMemoryBytes();
    // The build's heap plus the 19 MiB of blocks, far from the 128 MB isolate limit.
    expect(after).toBeLessThan(40 * 1024 * 1024);
    for (let i = 0; i < 20; i++) verifyNothing(`password ${i}`, KDF_PROFILES.default);
    expect(wasmMemoryBytes()).toBe(after);
  });
});
