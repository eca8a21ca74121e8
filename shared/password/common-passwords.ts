// zxcvbn-ts ships its frequency-ranked list (49,233 passwords from breach data) as plain JSON; the
// package's own entry point is compressed and async, which a per-keystroke check cannot await.
import passwords from "@zxcvbn-ts/language-common/src/passwords.json" with { type: "json" };
import { matchingForm } from "./normalise.js";

// Folding 49k entries takes milliseconds, so it happens on first use, not on import: most worker
// requests never check a password. The extension imports this module only when a password step opens.
let folded: ReadonlySet<string> | undefined;

function foldedList(): ReadonlySet<string> {
  folded ??= new Set((passwords as readonly string[]).map(matchingForm));
  return folded;
}

/**
 * Whether a password in matching form is on the list once both are folded, so "P@ssw0rd" is
 * caught as "password" (spec §4, `blockCommonPasswords`).
 */
export function isCommonFolded(foldedPassword: string): boolean {
  return foldedList().has(foldedPassword);
}
