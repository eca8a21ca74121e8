import { z } from "zod";

/**
 * C0 and C1 controls (CR, LF, TAB, NUL, ESC…) and the Unicode line and paragraph separators. In a
 * string that reaches an email header a CR/LF starts a header of its own (`Bcc: …`); in an SMS or on a
 * screen these break or hide text. No name, label or question needs one. Also a lone surrogate (half
 * of a character, which JSON can carry): it is no text, and an email, an SMS or LDAP cannot encode it.
 */
export const CONTROL_CHARACTERS = /[\p{Cc}\p{Cs}\u2028\u2029]/u;

/** Refuses control characters (400 `invalid_request` with the field's path); trimming, if any, comes first. */
export const plainText = <T extends z.ZodType<string>>(schema: T) =>
  schema.refine((value) => !CONTROL_CHARACTERS.test(value), "Must not contain line breaks or other control characters.");
