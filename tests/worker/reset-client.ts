import { expect } from "vitest";
import { callJson, registerEmail, registerTotp, seedAndSignIn } from "./helpers.js";

/** The reset flow as a client drives it, shared by the reset test files. */

export const NEW_PASSWORD = "Sunlit-Meadow-Quiet-River-93";

/** A signed-in user with a verified email method, and an authenticator app when asked. */
export async function registeredUser(opts: { totp?: boolean } = {}) {
  const user = await seedAndSignIn();
  const email = await registerEmail(user.token);
  const totp = opts.totp ? await registerTotp(user.token) : undefined;
  return { ...user, email, totp };
}

/** A user with both an email and an authenticator app (`totp` always there). */
export async function userWithApp() {
  const u = await registeredUser({ totp: true });
  return { ...u, totp: u.totp! };
}

/** Starts a reset that must be accepted (201) and returns its body. */
export async function startReset(username: string) {
  const r = await callJson("POST", "/v1/resets", { body: { username } });
  expect(r.status).toBe(201);
  return r.body;
}

export const getReset = (reset: any) => callJson("GET", `/v1/resets/${reset.resetId}`, { token: reset.resetToken });
export const challenge = (reset: any, methodId: string) => callJson("POST", `/v1/resets/${reset.resetId}/challenges`, { token: reset.resetToken, body: { methodId } });
export const verify = (reset: any, body: unknown) => callJson("POST", `/v1/resets/${reset.resetId}/verify`, { token: reset.resetToken, body });
export const setPassword = (reset: any, newPassword = NEW_PASSWORD) => callJson("POST", `/v1/resets/${reset.resetId}/password`, { token: reset.resetToken, body: { newPassword } });
