import { z } from "zod";
import { displayNameInput, isoTime, passwordInput, usernameInput } from "./common.js";
import { registrationSchema, userSchema } from "./users.js";

export const signInRequestSchema = z.strictObject({ username: usernameInput, password: passwordInput });
export type SignInRequest = z.infer<typeof signInRequestSchema>;

export const sessionResponseSchema = z.object({
  token: z.string(),
  expiresAt: isoTime,
  user: userSchema,
  registration: registrationSchema,
});
export type SessionResponse = z.infer<typeof sessionResponseSchema>;

/** POST /v1/sessions/current/reauth: the password again, to make the session fresh (contract: Sessions). */
export const reauthRequestSchema = z.strictObject({ password: passwordInput });
export type ReauthRequest = z.infer<typeof reauthRequestSchema>;

export const reauthResponseSchema = z.object({ freshUntil: isoTime });
export type ReauthResponse = z.infer<typeof reauthResponseSchema>;

export const meResponseSchema = z.object({ user: userSchema, registration: registrationSchema });
export type MeResponse = z.infer<typeof meResponseSchema>;

export const setupRequestSchema = z.strictObject({
  username: usernameInput,
  displayName: displayNameInput,
  password: passwordInput,
});
