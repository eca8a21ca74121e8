import { z } from "zod";
import { METHOD_TYPES } from "../policy/method-types.js";
import { isoTime, usernameInput } from "./common.js";

/** "unlock": Entra's "I know my password, but still can't sign in": the same checks, then the lockout is cleared. */
export const RESET_PURPOSES = ["reset", "unlock"] as const;
export type ResetPurpose = (typeof RESET_PURPOSES)[number];

export const startResetRequestSchema = z.strictObject({ username: usernameInput, purpose: z.enum(RESET_PURPOSES).default("reset") });

/**
 * An authenticator app's hint in reset answers: its label is the user's own words (often a name or a
 * device) and a reset start answers anyone who knows the username. Numbered ("Authenticator app 2")
 * by registration order when the user has several.
 */
export const AUTHENTICATOR_HINT = "Authenticator app";

export const resetMethodSchema = z.object({ id: z.string(), type: z.enum(METHOD_TYPES), hint: z.string() });

export const resetSchema = z.object({
  resetId: z.string(),
  resetToken: z.string().optional(),
  purpose: z.enum(RESET_PURPOSES),
  status: z.enum(["verifying", "verified", "completed"]),
  methodsRequired: z.number().int(),
  methods: z.array(resetMethodSchema),
  verifiedMethodIds: z.array(z.string()),
  expiresAt: isoTime,
});
export type Reset = z.infer<typeof resetSchema>;

export const helpdeskSchema = z.object({ url: z.string().nullable(), email: z.string().nullable() });

export const unavailableSchema = z.object({ status: z.literal("unavailable"), helpdesk: helpdeskSchema });
export type Unavailable = z.infer<typeof unavailableSchema>;

export const questionSchema = z.object({ id: z.string(), text: z.string() });

export const challengeRequestSchema = z.strictObject({ methodId: z.string().min(1).max(64) });

export const challengeResponseSchema = z.object({
  challenge: z.object({
    methodId: z.string(),
    type: z.enum(METHOD_TYPES),
    expiresAt: isoTime,
    questions: z.array(questionSchema).optional(),
  }),
});
export type ChallengeResponse = z.infer<typeof challengeResponseSchema>;

/** A code as typed: spaces and dashes are stripped by the client; 6 (TOTP) or 8 (email, SMS) digits. */
export const codeInput = z.string().regex(/^\d{6,8}$/);

export const answerInput = z.strictObject({ questionId: z.string().min(1).max(64), answer: z.string().max(200) });

export const verifyRequestSchema = z.union([
  z.strictObject({ methodId: z.string().min(1).max(64), code: codeInput }),
  z.strictObject({ methodId: z.string().min(1).max(64), answers: z.array(answerInput).min(1).max(5) }),
]);

export const resetPasswordRequestSchema = z.strictObject({ newPassword: z.string().min(1).max(1024) });
