import { createUserRequestSchema } from "../../../../shared/api/admin.js";
import type { ErrorDetail } from "../../../../shared/errors.js";
import { isValidUsername, normaliseUsername } from "../../../../shared/username.js";

/** The fields of a new user (POST /v1/admin/users and each import row), as the API names them. */
export const USER_FIELDS = ["username", "displayName", "email", "phone", "password", "roles", "groups", "passwordNeverExpires"] as const;
export type UserField = (typeof USER_FIELDS)[number];
export type FieldProblems = Partial<Record<UserField, string>>;

/**
 * One sentence per field, whatever the schema's issue was: it says what is wanted and never repeats
 * the value (which may be a password).
 */
export const FIELD_MESSAGES: Record<UserField, string> = {
  username: "Enter a username of at most 254 characters, without spaces.",
  displayName: "Enter a name of 1 to 200 characters, on one line.",
  email: "Enter an email address like name@example.org.",
  phone: "Enter a mobile number in international form, like +44 7911 123456.",
  password: "A password has at most 1024 characters.",
  roles: "Roles are user, password_admin or global_admin.",
  groups: "A group name has 1 to 100 characters; at most 100 groups.",
  passwordNeverExpires: "Write yes or no (or leave it empty for no).",
};

const isUserField = (key: unknown): key is UserField => (USER_FIELDS as readonly unknown[]).includes(key);

/** What the shared schema (the one the worker validates with) and the username rule find wrong. */
export function fieldProblems(request: unknown): FieldProblems {
  const problems: FieldProblems = {};
  const result = createUserRequestSchema.safeParse(request);
  if (!result.success) {
    for (const issue of result.error.issues) {
      const field = issue.path[0];
      if (isUserField(field)) problems[field] = FIELD_MESSAGES[field];
    }
  }
  const username = (request as { username?: unknown } | null)?.username;
  if (typeof username === "string" && !problems.username && !isValidUsername(normaliseUsername(username))) problems.username = FIELD_MESSAGES.username;
  return problems;
}

/**
 * A refusal from the server placed on the fields it is about: `details[].path` where it names one, a
 * taken username on the username, a password rule hit on the password. What belongs to no field stays general.
 */
export function serverProblems(error: { code: string; message: string; details: readonly ErrorDetail[] }): { fields: FieldProblems; general: string | null } {
  const fields: FieldProblems = {};
  if (error.code === "password_policy") {
    const rules = error.details.map((d) => d.message).filter(Boolean);
    fields.password = rules.length ? rules.join(" ") : error.message;
    return { fields, general: null };
  }
  if (error.code === "conflict") return { fields: { username: error.message }, general: null };
  // The validator's terse sentences ("Required.") read better as what the field wants; other refusals
  // (a phone outside the policy's countries) say something the field's sentence does not.
  const generic = error.code === "invalid_request";
  for (const d of error.details) {
    const field = d.path?.split(".")[0];
    if (isUserField(field) && !fields[field]) fields[field] = generic || !d.message ? FIELD_MESSAGES[field] : d.message;
  }
  return { fields, general: Object.keys(fields).length ? null : error.message };
}

/** Groups as typed in one box, separated by commas; a problem in the schema's terms, or none. */
export function parseGroupList(text: string): { groups: string[]; problem: string | null } {
  const groups = [
    ...new Set(
      text
        .split(",")
        .map((g) => g.trim())
        .filter(Boolean),
    ),
  ];
  return { groups, problem: createUserRequestSchema.shape.groups.safeParse(groups).success ? null : FIELD_MESSAGES.groups };
}
