import { z } from "zod";
import { plainText } from "../plain-text.js";
import { answerInput, codeInput, questionSchema } from "./resets.js";
import { isoTime, passwordInput } from "./common.js";
import { methodSchema, registrationSchema } from "./users.js";

export const addMethodRequestSchema = z.discriminatedUnion("type", [
  z.strictObject({ type: z.literal("email"), email: z.email().max(254) }),
  z.strictObject({ type: z.literal("sms"), phone: z.string().min(3).max(32) }),
  z.strictObject({ type: z.literal("totp"), label: plainText(z.string().trim().min(1).max(64)).optional() }),
]);
export type AddMethodRequest = z.infer<typeof addMethodRequestSchema>;

export const addMethodResponseSchema = z.object({
  method: methodSchema,
  secret: z.string().optional(),
  otpauthUri: z.string().optional(),
});

export const methodResponseSchema = z.object({ method: methodSchema });
export const methodsResponseSchema = z.object({ methods: z.array(methodSchema) });
export const verifyMethodRequestSchema = z.strictObject({ code: codeInput });
export const resendResponseSchema = z.object({ expiresAt: isoTime });

export const securityQuestionsResponseSchema = z.object({
  questions: z.array(questionSchema),
  registered: z.array(z.string()),
});
export const putSecurityQuestionsRequestSchema = z.strictObject({ answers: z.array(answerInput).min(1).max(5) });

export const registrationResponseSchema = z.object({ registration: registrationSchema });

export const changePasswordRequestSchema = z.strictObject({ currentPassword: passwordInput, newPassword: passwordInput });
