import { z } from "zod";
import {
  addMethodResponseSchema,
  methodResponseSchema,
  registrationResponseSchema,
  resendResponseSchema,
  securityQuestionsResponseSchema,
  type AddMethodRequest,
} from "../shared/api/me.js";
import { meResponseSchema, reauthResponseSchema, sessionResponseSchema } from "../shared/api/sessions.js";
import { apiRequest, type ApiResult } from "./api-client.js";
import type { Answer } from "./resets-api.js";

/** The worker endpoints registration uses (api.md "Sessions" and "Me"), one function each; all but sign-in take the session token. */

const methodPath = (id: string) => `/v1/me/methods/${encodeURIComponent(id)}`;
/** 204 answers have no body. */
const noContent = z.unknown().transform(() => null);

const unwrap = async <T, U>(pending: Promise<ApiResult<T>>, pick: (value: T) => U): Promise<ApiResult<U>> => {
  const res = await pending;
  return res.ok ? { ok: true, value: pick(res.value) } : res;
};

/** One of the calls that carry a password (spec §5): straight from the content script's message to the worker. */
export const createSession = (base: string, username: string, password: string) =>
  apiRequest(base, "/v1/sessions", sessionResponseSchema, { method: "POST", body: { username, password } });

/** Another: the password typed on the registration page's "Confirm it's you" screen, to make the session fresh again. */
export const reauthenticate = (base: string, token: string, password: string) =>
  apiRequest(base, "/v1/sessions/current/reauth", reauthResponseSchema, { method: "POST", token, body: { password } });

export const endSession = (base: string, token: string) =>
  apiRequest(base, "/v1/sessions/current", noContent, { method: "DELETE", token });

export const getMe = (base: string, token: string) => apiRequest(base, "/v1/me", meResponseSchema, { token });

/** POST /v1/me/password: the third call that carries a password, from the change-password page. */
export const changeOwnPassword = (base: string, token: string, currentPassword: string, newPassword: string) =>
  apiRequest(base, "/v1/me/password", noContent, { method: "POST", token, body: { currentPassword, newPassword } });

export const addMethod = (base: string, token: string, body: AddMethodRequest) =>
  apiRequest(base, "/v1/me/methods", addMethodResponseSchema, { method: "POST", token, body });

export const verifyMethod = (base: string, token: string, methodId: string, code: string) =>
  unwrap(apiRequest(base, `${methodPath(methodId)}/verify`, methodResponseSchema, { method: "POST", token, body: { code } }), (r) => r.method);

export const resendCode = (base: string, token: string, methodId: string) =>
  apiRequest(base, `${methodPath(methodId)}/resend`, resendResponseSchema, { method: "POST", token });

export const removeMethod = (base: string, token: string, methodId: string) =>
  apiRequest(base, methodPath(methodId), noContent, { method: "DELETE", token });

export const getQuestions = (base: string, token: string) =>
  apiRequest(base, "/v1/me/security-questions", securityQuestionsResponseSchema, { token });

export const putAnswers = (base: string, token: string, answers: Answer[]) =>
  unwrap(apiRequest(base, "/v1/me/security-questions", methodResponseSchema, { method: "PUT", token, body: { answers } }), (r) => r.method);

export const confirmRegistration = (base: string, token: string) =>
  unwrap(apiRequest(base, "/v1/me/registration/confirm", registrationResponseSchema, { method: "POST", token }), (r) => r.registration);

export const skipRegistration = (base: string, token: string) =>
  unwrap(apiRequest(base, "/v1/me/registration/skip", registrationResponseSchema, { method: "POST", token }), (r) => r.registration);
