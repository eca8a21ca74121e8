/**
 * Entra's four character classes. A letter with no case (CJK, Arabic, Hebrew…) counts as "symbol":
 * Active Directory treats those as an extra class that also counts toward complexity, and folding it
 * into the fourth class keeps the policy's 0–4 range meaningful without penalising such users.
 */
export type CharacterClass = "lower" | "upper" | "digit" | "symbol";

const LOWER = /\p{Ll}/u;
const UPPER = /[\p{Lu}\p{Lt}]/u;
const DIGIT = /\p{Nd}/u;

function classOf(ch: string): CharacterClass {
  if (LOWER.test(ch)) return "lower";
  if (UPPER.test(ch)) return "upper";
  if (DIGIT.test(ch)) return "digit";
  return "symbol";
}

/** Expects the canonical (NFKC) password so full-width digits count as digits. */
export function characterClassesIn(canonical: string): Set<CharacterClass> {
  const found = new Set<CharacterClass>();
  for (const ch of canonical) {
    found.add(classOf(ch));
    if (found.size === 4) break;
  }
  return found;
}
