import { z } from "zod";
import { localeSchema } from "../locale.js";
import { plainText } from "../plain-text.js";
import { EVERY_HOST_MESSAGE, isMatchPattern, matchesEveryHost } from "./match-pattern.js";
import { ADMIN_METHODS_AVAILABLE, ADMIN_METHODS_REQUIRED, METHOD_TYPES } from "./method-types.js";

/** Spec §4. Every range here is the contract's; the defaults live in defaults.ts. */
const int = (min: number, max: number) => z.number().int().min(min).max(max);

export const methodTypeSchema = z.enum(METHOD_TYPES);

export const customQuestionSchema = z.strictObject({
  id: z.string().regex(/^[a-z0-9-]{1,40}$/),
  text: plainText(z.string().trim().min(3).max(200)),
});

/** Microsoft 365's expiration policy: `days` null means passwords never expire. */
const expiryFields = {
  days: int(14, 730).nullable(),
  notifyDaysBefore: int(1, 30),
};
export const DEFAULT_EXPIRY = { days: null, notifyDaysBefore: 14 };
export const expirySchema = z.strictObject(expiryFields);

const passwordPolicyFields = {
  minLength: int(8, 64),
  maxLength: int(64, 256),
  requiredCharacterClasses: int(0, 4),
  bannedWords: z.array(plainText(z.string().min(4).max(16))).max(1000),
  blockCommonPasswords: z.boolean(),
  historyCount: int(0, 24),
};

// Optional in a PUT (policies written before it existed stay valid): missing means never.
export const passwordPolicySchema = z.strictObject({ ...passwordPolicyFields, expiry: expirySchema.default(DEFAULT_EXPIRY) });

/** Country calling codes ("+44", "+1"): where SMS codes may go. Empty: anywhere. */
const smsCountriesSchema = z
  .array(z.string().regex(/^\+[1-9][0-9]{0,3}$/))
  .max(50)
  .refine((codes) => new Set(codes).size === codes.length, "Each calling code may be listed once.");

const methodsFields = {
  required: z.union([z.literal(1), z.literal(2)]),
  available: z.array(methodTypeSchema).min(1).max(METHOD_TYPES.length),
};

const selfServiceResetFields = {
  enabledFor: z.enum(["none", "selected", "all"]),
  // Matched against directory group names, which LDAP holds as UTF-8: a lone surrogate can match none.
  groups: z.array(plainText(z.string().min(1).max(100))).max(50),
};

const policySections = {
  // In every email's Subject and every SMS: a CR/LF here would be a header injection (issue 11).
  orgName: plainText(z.string().trim().min(1).max(100)),
  // Language of emails and SMS for users without their own `locale`; optional in a PUT (older policies stay valid).
  defaultLocale: localeSchema.default("en"),
  // allowUnlock optional in a PUT, like smsCountries: missing means on (the default).
  selfServiceReset: z.strictObject({ ...selfServiceResetFields, allowUnlock: z.boolean().default(true) }),
  // Optional in a PUT (policies written before it existed stay valid): missing means any country.
  methods: z.strictObject({ ...methodsFields, smsCountries: smsCountriesSchema.default([]) }),
  securityQuestions: z.strictObject({
    numberToRegister: int(3, 5),
    numberToReset: int(3, 5),
    custom: z.array(customQuestionSchema).max(20),
  }),
  registration: z.strictObject({
    requireOnSignIn: z.boolean(),
    reconfirmDays: int(0, 730),
    skipsAllowed: int(0, 10),
  }),
  notifications: z.strictObject({
    notifyUserOnReset: z.boolean(),
    notifyAdminsOnAdminReset: z.boolean(),
  }),
  helpdesk: z.strictObject({
    // Shown in emails. Checked for controls before the URL check, which drops a CR/LF (the URL parser
    // ignores them) and would store what remains of "…/\r\nBcc: x" instead of refusing it.
    url: plainText(z.string().max(2048)).check(z.url({ protocol: /^https$/ })).nullable(),
    email: z.email().max(254).nullable(),
  }),
  passwordPolicy: passwordPolicySchema,
  challenges: z.strictObject({ codeTtlMinutes: int(1, 10) }),
  lockout: z.strictObject({
    signInThreshold: int(3, 50),
    signInLockSeconds: int(10, 3600),
    resetFailuresToBlock: int(3, 10),
    resetBlockHours: int(1, 72),
  }),
  signInPages: z
    .array(
      z
        .string()
        .refine(isMatchPattern, "Not a valid match pattern.")
        .refine((p) => !matchesEveryHost(p), EVERY_HOST_MESSAGE),
    )
    .max(100),
};

type Issue = { path: (string | number)[]; message: string };

/** Rules that span fields; each names the path an admin has to change. */
export function crossFieldIssues(p: {
  methods: { required: number; available: string[] };
  securityQuestions: { numberToRegister: number; numberToReset: number; custom: { id: string }[] };
  passwordPolicy: { minLength: number; maxLength: number };
  selfServiceReset: { enabledFor: string; groups: string[] };
}): Issue[] {
  const issues: Issue[] = [];
  const available = p.methods.available;
  if (new Set(available).size !== available.length) {
    issues.push({ path: ["methods", "available"], message: "A method type is listed twice." });
  }
  if (new Set(available).size < p.methods.required) {
    issues.push({ path: ["methods", "available"], message: "Fewer method types than methods.required." });
  }
  // Security questions never suffice alone (spec §3), so at least one other type must be offered.
  if (!available.some((t) => t !== "security_questions")) {
    issues.push({ path: ["methods", "available"], message: "Offer at least one method other than security questions." });
  }
  if (p.securityQuestions.numberToReset > p.securityQuestions.numberToRegister) {
    issues.push({ path: ["securityQuestions", "numberToReset"], message: "Must not exceed numberToRegister." });
  }
  const ids = p.securityQuestions.custom.map((q) => q.id);
  if (new Set(ids).size !== ids.length) {
    issues.push({ path: ["securityQuestions", "custom"], message: "Question ids must be unique." });
  }
  if (p.passwordPolicy.minLength > p.passwordPolicy.maxLength) {
    issues.push({ path: ["passwordPolicy", "minLength"], message: "Must not exceed maxLength." });
  }
  return issues;
}

function refinePolicy(p: Parameters<typeof crossFieldIssues>[0], ctx: z.RefinementCtx): void {
  for (const issue of crossFieldIssues(p)) ctx.addIssue({ code: "custom", ...issue });
}

/** Body of PUT /v1/admin/policy, and the shape a PATCH must produce once merged. */
export const policyInputSchema = z
  .strictObject({ ...policySections, adminPolicy: z.strictObject({ enabled: z.boolean() }) })
  .superRefine(refinePolicy);
export type PolicyInput = z.infer<typeof policyInputSchema>;

/** The stored policy: everything an admin sets, without the version bookkeeping. */
export type PolicySettings = PolicyInput;

/** Body of PATCH /v1/admin/policy (JSON merge patch): every section partial; checked again once merged. */
export const policyPatchSchema = z.strictObject({
  orgName: policySections.orgName.optional(),
  defaultLocale: localeSchema.optional(),
  selfServiceReset: z.strictObject({ ...selfServiceResetFields, allowUnlock: z.boolean() }).partial().optional(),
  // Without the default: a patch that leaves smsCountries out must leave it as it is.
  methods: z.strictObject({ ...methodsFields, smsCountries: smsCountriesSchema }).partial().optional(),
  securityQuestions: policySections.securityQuestions.partial().optional(),
  registration: policySections.registration.partial().optional(),
  notifications: policySections.notifications.partial().optional(),
  helpdesk: policySections.helpdesk.partial().optional(),
  // A merge patch: `expiry` merges too, and `days: null` sets "never".
  passwordPolicy: z.strictObject({ ...passwordPolicyFields, expiry: expirySchema.partial() }).partial().optional(),
  challenges: policySections.challenges.partial().optional(),
  lockout: policySections.lockout.partial().optional(),
  signInPages: policySections.signInPages.optional(),
  adminPolicy: z.strictObject({ enabled: z.boolean() }).partial().optional(),
});

export const adminPolicySchema = z.strictObject({
  enabled: z.boolean(),
  methodsRequired: z.literal(ADMIN_METHODS_REQUIRED),
  methodsAvailable: z.array(methodTypeSchema),
});

export const policySchema = z.strictObject({
  ...policySections,
  adminPolicy: adminPolicySchema,
  version: z.number().int(),
  updatedAt: z.string(),
});
export type Policy = z.infer<typeof policySchema>;

export function withAdminPolicy(settings: PolicySettings, version: number, updatedAt: string): Policy {
  return {
    ...settings,
    adminPolicy: {
      enabled: settings.adminPolicy.enabled,
      methodsRequired: ADMIN_METHODS_REQUIRED,
      methodsAvailable: [...ADMIN_METHODS_AVAILABLE],
    },
    version,
    updatedAt,
  };
}

/** The password rules (what evaluate/enforce read); expiry is not a rule a password can break. */
export type PasswordPolicy = Omit<z.infer<typeof passwordPolicySchema>, "expiry">;
