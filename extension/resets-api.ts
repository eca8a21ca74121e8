import { z } from "zod";
import { publicConfigSchema, type PublicConfig } from "../shared/api/config.js";
import { challengeResponseSchema, resetSchema, unavailableSchema, type Reset, type ResetPurpose } from "../shared/api/resets.js";
import { apiRequest, type ApiResult } from "./api-client.js";

/** The worker endpoints the reset wizard uses (api.md "Public" and "Resets"), one function each. */

export type Challenge = z.infer<typeof challengeResponseSchema>["challenge"];
export type Answer = { questionId: string; answer: string };
/** api.md Resets: the same checks either replace a forgotten password or only clear the sign-in lockout. */
export type { ResetPurpose } from "../shared/api/resets.js";
export type VerifyInput = { methodId: string; code: string } | { methodId: string; answers: Answer[] };

/** 201 Reset or 200 Unavailable: the status field tells them apart. */
const startSchema = z.union([resetSchema, unavailableSchema]);

const resetPath = (resetId: string) => `/v1/resets/${encodeURIComponent(resetId)}`;

export const fetchPublicConfig = (baseUrl: string): Promise<ApiResult<PublicConfig>> =>
  apiRequest(baseUrl, "/v1/config", publicConfigSchema);

export const startReset = (baseUrl: string, username: string, purpose: ResetPurpose) =>
  apiRequest(baseUrl, "/v1/resets", startSchema, { method: "POST", body: { username, purpose } });

export const getReset = (baseUrl: string, resetId: string, token: string): Promise<ApiResult<Reset>> =>
  apiRequest(baseUrl, resetPath(resetId), resetSchema, { token });

export async function requestChallenge(
  baseUrl: string,
  resetId: string,
  token: string,
  methodId: string,
): Promise<ApiResult<Challenge>> {
  const res = await apiRequest(baseUrl, `${resetPath(resetId)}/challenges`, challengeResponseSchema, {
    method: "POST",
    token,
    body: { methodId },
  });
  return res.ok ? { ok: true, value: res.value.challenge } : res;
}

export const verifyReset = (baseUrl: string, resetId: string, token: string, input: VerifyInput) =>
  apiRequest(baseUrl, `${resetPath(resetId)}/verify`, resetSchema, { method: "POST", token, body: input });

/** Clears the sign-in lockout and leaves the password as it is (purpose "unlock" only). */
export const unlockAccount = (baseUrl: string, resetId: string, token: string) =>
  apiRequest(baseUrl, `${resetPath(resetId)}/unlock`, resetSchema, { method: "POST", token });

export const setResetPassword = (baseUrl: string, resetId: string, token: string, newPassword: string) =>
  apiRequest(baseUrl, `${resetPath(resetId)}/password`, resetSchema, { method: "POST", token, body: { newPassword } });
