import { z } from "zod";
import { ERROR_CODES } from "../errors.js";
import { plainText } from "../plain-text.js";

export const isoTime = z.string();
export const nullableIsoTime = z.string().nullable();

export const ROLES = ["user", "password_admin", "global_admin"] as const;
export type Role = (typeof ROLES)[number];
export const roleSchema = z.enum(ROLES);

/** Contract "Conventions": a larger request body is 413 `payload_too_large`. */
export const MAX_BODY_BYTES = 64 * 1024;

/** Input bounds: a password or username longer than this is never valid and would only cost KDF time. */
export const usernameInput = z.string().min(1).max(254);
export const passwordInput = z.string().min(1).max(1024);
/** Display names reach emails (the admin-reset alert) and screens: plain text only (issue 11). */
export const displayNameInput = plainText(z.string().trim().min(1).max(200));
export const groupName = z.string().trim().min(1).max(100);

export const errorBodySchema = z.object({
  error: z.object({
    code: z.enum(ERROR_CODES),
    message: z.string(),
    details: z.array(z.record(z.string(), z.unknown())).optional(),
  }),
});

export const idParam = (name: string) => z.strictObject({ [name]: z.string().min(1).max(64) });

/**
 * A query parameter sent empty (`?q=&limit=`, as HTML forms and the contract's own templates write
 * them) counts as not sent.
 */
export const queryParam = <S extends z.ZodType>(schema: S) => z.preprocess((v) => (v === "" ? undefined : v), schema);

/** `limit` 1–1000 (default 100) and an opaque `cursor`, as every list endpoint takes them. */
export const paginationQuery = {
  limit: queryParam(z.coerce.number().int().min(1).max(1000).default(100)),
  cursor: queryParam(z.string().max(200).optional()),
};
