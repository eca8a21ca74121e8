/**
 * Usernames are case-insensitive and compared in NFKC (spec §2): "Jane@Example.com" and
 * "ｊａｎｅ@example.com" are one account. Surrounding spaces are a typing slip, not part of the name.
 */
export function normaliseUsername(raw: string): string {
  return raw.normalize("NFKC").trim().toLowerCase();
}

/**
 * A display name as admin search compares it: NFKC and full Unicode lower case, so "MÜLLER" finds
 * "Müller". Stored beside the name because SQLite's lower() folds only A–Z.
 */
export function searchFold(text: string): string {
  return text.normalize("NFKC").toLowerCase();
}

/** What a new username may contain once normalised: visible characters, no spaces, at most 254. */
export function isValidUsername(normalised: string): boolean {
  return normalised.length >= 1 && normalised.length <= 254 && /^[^\s\p{C}]+$/u.test(normalised);
}
