import type { PasswordPolicy } from "../../../shared/policy/schema.js";

/** A permissive policy each test tightens only where it is testing something. */
export function testPolicy(overrides: Partial<PasswordPolicy> = {}): PasswordPolicy {
  return {
    minLength: 8,
    maxLength: 256,
    requiredCharacterClasses: 0,
    bannedWords: [],
    blockCommonPasswords: false,
    historyCount: 0,
    ...overrides,
  };
}
