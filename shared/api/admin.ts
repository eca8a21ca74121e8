import { z } from "zod";
import { AUDIT_EVENT_TYPES } from "../audit-events.js";
import { ERROR_CODES } from "../errors.js";
import { localeSchema } from "../locale.js";
import { METHOD_TYPES } from "../policy/method-types.js";
import { displayNameInput, groupName, isoTime, paginationQuery, passwordInput, queryParam, roleSchema, usernameInput } from "./common.js";
import { adminUserSchema } from "./users.js";

export const userIdParam = z.strictObject({ id: z.string().min(1).max(64) });

/** Contract "Admin". A row of POST /v1/admin/users and of each `users[i]` of an import. */
export const createUserRequestSchema = z.strictObject({
  username: usernameInput,
  displayName: displayNameInput,
  /** Given by an admin, these become active recovery methods: the admin vouches for them. */
  email: z.email().max(254).optional(),
  phone: z.string().min(3).max(32).optional(),
  password: passwordInput.optional(),
  roles: z.array(roleSchema).min(1).max(3).optional(),
  groups: z.array(groupName).max(100).optional(),
  /** An extension of the contract's row (issue 15): the admin API, the console and the import can all set it. */
  passwordNeverExpires: z.boolean().optional(),
  /** Language of the user's emails and SMS; left out, the policy's `defaultLocale` until the user registers. */
  locale: localeSchema.optional(),
});
export type CreateUserRequest = z.infer<typeof createUserRequestSchema>;

export const createUserResponseSchema = z.object({
  user: adminUserSchema,
  /** Only when no password was given: generated, shown this once, to be changed at first sign-in. */
  temporaryPassword: z.string().optional(),
});

export const MAX_IMPORT_ROWS = 1000;
/** Each given password is one KDF run; more per request would pass a Worker's CPU limit mid-import. */
export const MAX_IMPORT_ROWS_WITH_PASSWORD = 100;

export const rowErrorSchema = z.object({
  index: z.number().int(),
  error: z.object({
    code: z.enum(ERROR_CODES),
    message: z.string(),
    details: z.array(z.record(z.string(), z.unknown())).optional(),
  }),
});

export const importResponseSchema = z.object({ created: z.number().int(), errors: z.array(rowErrorSchema) });
export type ImportResponse = z.infer<typeof importResponseSchema>;

export const patchUserRequestSchema = z
  .strictObject({
    displayName: displayNameInput.optional(),
    roles: z.array(roleSchema).min(1).max(3).optional(),
    groups: z.array(groupName).max(100).optional(),
    disabled: z.boolean().optional(),
    /** Native users only: a directory user's expiry is the directory's (409 `managed_by_directory`). */
    passwordNeverExpires: z.boolean().optional(),
    /** null: back to the policy's `defaultLocale`. */
    locale: localeSchema.nullable().optional(),
  })
  .refine((b) => Object.keys(b).length > 0, { message: "Give at least one field to change." });
export type PatchUserRequest = z.infer<typeof patchUserRequestSchema>;

export const setPasswordRequestSchema = z.strictObject({ password: passwordInput.optional() });
export const setPasswordResponseSchema = z.object({ temporaryPassword: z.string() });

export const REGISTRATION_FILTERS = ["registered", "partial", "unregistered"] as const;
export type RegistrationFilter = (typeof REGISTRATION_FILTERS)[number];

export const listUsersQuerySchema = z.strictObject({
  q: queryParam(z.string().max(200).optional()),
  group: queryParam(z.string().max(100).optional()),
  role: queryParam(roleSchema.optional()),
  /** AdminUser.registration: `complete`, some active methods but not enough, or none active. */
  registration: queryParam(z.enum(REGISTRATION_FILTERS).optional()),
  ...paginationQuery,
});

export const listUsersResponseSchema = z.object({ users: z.array(adminUserSchema), nextCursor: z.string().nullable() });

export const auditEventSchema = z.object({
  id: z.string(),
  at: isoTime,
  type: z.string(),
  actorId: z.string().nullable(),
  subjectId: z.string().nullable(),
  ip: z.string().nullable(),
  outcome: z.enum(["success", "failure"]),
  detail: z.record(z.string(), z.unknown()),
});
export type AuditEvent = z.infer<typeof auditEventSchema>;

/** ISO 8601 with a zone (`Z` or an offset), so a window never depends on the server's time zone. */
const isoInput = z.iso.datetime({ offset: true });

export const auditQuerySchema = z.strictObject({
  type: queryParam(z.enum(AUDIT_EVENT_TYPES).optional()),
  /** Events where this user is the actor or the subject. */
  userId: queryParam(z.string().min(1).max(64).optional()),
  since: queryParam(isoInput.optional()),
  until: queryParam(isoInput.optional()),
  ...paginationQuery,
});

export const auditResponseSchema = z.object({ events: z.array(auditEventSchema), nextCursor: z.string().nullable() });

const countsByMethod = <S extends z.ZodType>(value: S) =>
  z.object(Object.fromEntries(METHOD_TYPES.map((t) => [t, value])) as Record<(typeof METHOD_TYPES)[number], S>);

export const registrationReportSchema = z.object({
  /** Every account, disabled ones included. */
  users: z.number().int(),
  /** Accounts the policy lets reset their own password (never a disabled one). */
  enabled: z.number().int(),
  /** Of the enabled: enough active methods for their policy. */
  registered: z.number().int(),
  /** Of the enabled: at least one active method, but not enough. */
  partiallyRegistered: z.number().int(),
  /** Of the enabled: no active method. */
  unregistered: z.number().int(),
  /** Of the enabled: how many have at least one active method of each type. */
  byMethod: countsByMethod(z.number().int()),
});
export type RegistrationReport = z.infer<typeof registrationReportSchema>;

export const resetReportQuerySchema = z.strictObject({ since: queryParam(isoInput.optional()), until: queryParam(isoInput.optional()) });

export const resetReportSchema = z.object({
  since: isoTime,
  until: isoTime,
  /** Every `POST /v1/resets`, including those answered "unavailable". */
  started: z.number().int(),
  challengesSent: z.number().int(),
  /** Successful method verifications (a two-method reset counts twice). */
  verified: z.number().int(),
  completed: z.number().int(),
  blocked: z.number().int(),
  unavailable: z.number().int(),
  byMethod: countsByMethod(z.object({ challengesSent: z.number().int(), verified: z.number().int(), failed: z.number().int() })),
  /** Failed identity checks by reason (`invalid_code`, `code_expired`, `invalid_answers`). */
  failures: z.record(z.string(), z.number().int()),
  /**
   * Password expiry (issue 15) in the same window: `expired`, passwords that reached their expiry
   * unchanged (recorded by the daily run); `changedBeforeExpiry`, passwords changed or reset inside
   * their notice window, before they expired.
   */
  expiry: z.object({ expired: z.number().int(), changedBeforeExpiry: z.number().int() }),
});
export type ResetReport = z.infer<typeof resetReportSchema>;
