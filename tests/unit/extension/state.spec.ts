import { describe, expect, it } from "vitest";
import type { PublicReset } from "../../../extension/messaging.js";
import { progress, stepFromResume, usableMethods } from "../../../extension/wizard/state.js";
import { EMAIL, QUESTIONS, reset, SMS, TOTP } from "./support/fake-worker.js";

const r = (over: Parameters<typeof reset>[0] = {}) => reset(over) as PublicReset;

describe("wizard state", () => {
  it("offers, for the second check, only unverified methods of another type", () => {
    const second = { ...EMAIL, id: "mth_email2" };
    expect(usableMethods(r({ methods: [EMAIL, second, SMS, TOTP], verifiedMethodIds: [EMAIL.id] })).map((m) => m.id)).toEqual([SMS.id, TOTP.id]);
  });

  it.each([
    ["username (total not known yet)", { name: "username" as const }, 1, { current: 1, total: null }],
    ["choose (first of one)", { name: "choose" as const, reset: r() }, 1, { current: 2, total: 3 }],
    ["choose (second of two)", { name: "choose" as const, reset: r({ methodsRequired: 2, verifiedMethodIds: [EMAIL.id] }) }, 1, { current: 3, total: 4 }],
    ["password (two)", { name: "password" as const, reset: r({ methodsRequired: 2 }) }, 1, { current: 4, total: 4 }],
    ["unlock (two)", { name: "unlock" as const, reset: r({ methodsRequired: 2 }) }, 1, { current: 4, total: 4 }],
    ["done", { name: "done" as const }, 1, null],
  ])("counts %s", (_label, step, _n, expected) => {
    expect(progress(step)).toEqual(expected);
  });

  it("resumes at the questions being answered", () => {
    const challenge = { methodId: QUESTIONS.id, type: "security_questions" as const, expiresAt: "", questions: [] };
    expect(stepFromResume({ username: "u", reset: r({ methods: [EMAIL, QUESTIONS] }), challenge }).name).toBe("questions");
  });

  it("resumes at the password once enough methods are verified", () => {
    expect(stepFromResume({ username: "u", reset: r({ status: "verified", verifiedMethodIds: [EMAIL.id] }), challenge: null }).name).toBe("password");
  });

  it("resumes an unlock at the unlock step, and a finished one at its own end", () => {
    const verified = r({ purpose: "unlock", status: "verified", verifiedMethodIds: [EMAIL.id] });
    expect(stepFromResume({ username: "u", reset: verified, challenge: null }).name).toBe("unlock");
    expect(stepFromResume({ username: "u", reset: r({ purpose: "unlock", status: "completed" }), challenge: null }).name).toBe("unlocked");
    expect(stepFromResume({ username: "u", reset: r({ status: "completed" }), challenge: null }).name).toBe("done");
  });
});
