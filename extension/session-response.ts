import { z } from "zod";
import { nullableIsoTime } from "../shared/api/common.js";
import { meResponseSchema, sessionResponseSchema } from "../shared/api/sessions.js";
import { userSchema } from "../shared/api/users.js";

/**
 * The sign-in answer as the extension reads it. api.md Sessions: an expired password gives a session
 * that can only change it, with `user.passwordExpired: true`, and inside the notice window the session
 * carries `passwordExpiresAt`. Both are optional here so a worker that predates them still parses (it
 * then warns of nothing).
 */
const lifecycleUser = userSchema.extend({ passwordExpired: z.boolean().optional() });

export const signInResponseSchema = sessionResponseSchema.extend({ user: lifecycleUser, passwordExpiresAt: nullableIsoTime.optional() });
export type SignInResponse = z.infer<typeof signInResponseSchema>;

export const lifecycleMeSchema = meResponseSchema.extend({ user: lifecycleUser });
export type LifecycleMe = z.infer<typeof lifecycleMeSchema>;
