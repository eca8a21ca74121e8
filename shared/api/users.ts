import { z } from "zod";
import { localeSchema } from "../locale.js";
import { METHOD_TYPES } from "../policy/method-types.js";
import { isoTime, nullableIsoTime, roleSchema } from "./common.js";

export const methodSchema = z.object({
  id: z.string(),
  type: z.enum(METHOD_TYPES),
  hint: z.string(),
  status: z.enum(["pending", "active"]),
  createdAt: isoTime,
  verifiedAt: nullableIsoTime,
});
export type Method = z.infer<typeof methodSchema>;

export const registrationSchema = z.object({
  methodsRequired: z.number().int(),
  methods: z.array(methodSchema),
  complete: z.boolean(),
  required: z.boolean(),
  reconfirmDue: z.boolean(),
  skipsLeft: z.number().int(),
  lastConfirmedAt: nullableIsoTime,
});
export type Registration = z.infer<typeof registrationSchema>;

export const userSchema = z.object({
  id: z.string(),
  username: z.string(),
  displayName: z.string(),
  /** directory.md: a directory user's password lives in the organisation's directory, reached through the agent. */
  source: z.enum(["native", "directory"]),
  roles: z.array(roleSchema),
  groups: z.array(z.string()),
  mustChangePassword: z.boolean(),
  disabled: z.boolean(),
  createdAt: isoTime,
  passwordChangedAt: nullableIsoTime,
  /** null: never. Directory users: from the directory (AD maxPwdAge, pwdLastSet, never-expires flag). */
  passwordExpiresAt: nullableIsoTime,
  passwordNeverExpires: z.boolean(),
  /**
   * The password is past `passwordExpiresAt`: it still signs in, but the session may only change it
   * (contract: Sessions), like `mustChangePassword`.
   */
  passwordExpired: z.boolean(),
  /** Language of this user's emails and SMS (issue 18); null: the policy's `defaultLocale`. */
  locale: localeSchema.nullable(),
});
export type User = z.infer<typeof userSchema>;

export const adminUserSchema = userSchema.extend({
  registration: registrationSchema,
  lockedUntil: nullableIsoTime,
  resetBlockedUntil: nullableIsoTime,
  lastSignInAt: nullableIsoTime,
});
export type AdminUser = z.infer<typeof adminUserSchema>;
