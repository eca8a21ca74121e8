import { z } from "zod";
import { methodTypeSchema } from "../policy/schema.js";
import type { Policy } from "../policy/schema.js";

export const publicConfigSchema = z.object({
  orgName: z.string(),
  /** `allowUnlock`: whether a reset may be started with purpose "unlock" (a worker from before it: yes). */
  selfServiceReset: z.object({ enabledFor: z.enum(["none", "selected", "all"]), allowUnlock: z.boolean().default(true) }),
  /**
   * `smsCountries`: the calling codes SMS codes may go to (empty: any), so a client can say so before a
   * number is refused. A worker from before the setting sends none, which means any.
   */
  methods: z.object({ required: z.number().int(), available: z.array(methodTypeSchema), smsCountries: z.array(z.string()).default([]) }),
  securityQuestions: z.object({ numberToRegister: z.number().int(), numberToReset: z.number().int() }),
  registration: z.object({
    requireOnSignIn: z.boolean(),
    reconfirmDays: z.number().int(),
    skipsAllowed: z.number().int(),
  }),
  passwordPolicy: z.object({
    minLength: z.number().int(),
    maxLength: z.number().int(),
    requiredCharacterClasses: z.number().int(),
    blockCommonPasswords: z.boolean(),
    historyCount: z.number().int(),
    /** When passwords expire and how many days before clients warn (`days` null: never; a worker from before it: never). */
    expiry: z.object({ days: z.number().int().nullable(), notifyDaysBefore: z.number().int() }).default({ days: null, notifyDaysBefore: 14 }),
  }),
  helpdesk: z.object({ url: z.string().nullable(), email: z.string().nullable() }),
  signInPages: z.array(z.string()),
});
export type PublicConfig = z.infer<typeof publicConfigSchema>;

/** The public subset: everything a client needs to guide a user, nothing an attacker could use (no banned words). */
export function toPublicConfig(p: Policy): PublicConfig {
  const { bannedWords: _hidden, ...passwordPolicy } = p.passwordPolicy;
  return {
    orgName: p.orgName,
    selfServiceReset: { enabledFor: p.selfServiceReset.enabledFor, allowUnlock: p.selfServiceReset.allowUnlock },
    methods: p.methods,
    securityQuestions: {
      numberToRegister: p.securityQuestions.numberToRegister,
      numberToReset: p.securityQuestions.numberToReset,
    },
    registration: p.registration,
    passwordPolicy,
    helpdesk: p.helpdesk,
    signInPages: p.signInPages,
  };
}
