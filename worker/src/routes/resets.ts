import { createRoute, z } from "@hono/zod-openapi";
import type { BatchItem } from "drizzle-orm/batch";
import {
  challengeRequestSchema,
  challengeResponseSchema,
  resetPasswordRequestSchema,
  resetSchema,
  startResetRequestSchema,
  unavailableSchema,
  verifyRequestSchema,
} from "../../../shared/api/resets.js";
import { clientKey } from "../limits/client-key.js";
import { flowContext } from "../context.js";
import { authenticateReset } from "../resets/authenticate-reset.js";
import { challenge } from "../resets/challenge.js";
import { complete, globalAdminEmailsQuery } from "../resets/complete.js";
import { startReset } from "../resets/start.js";
import { unlock } from "../resets/unlock.js";
import { leaseOutcome, takeCheckLease } from "../resets/check-lease.js";
import { verify } from "../resets/verify.js";
import { codeAttempt } from "../resets/verify-code.js";
import { codeChallenge } from "../resets/challenge-code.js";
import type { CodeRow } from "../challenges/codes.js";
import { changes } from "../db/batch.js";
import type { CodeAttemptResults } from "../resets/verify-code.js";
import { TOTP_DIGITS } from "../methods/totp.js";
import { secretKey } from "../secrets.js";
import { toReset } from "../resets/view.js";
import { errors, json, jsonBody, router } from "./openapi.js";
import { route } from "./access.js";

const resetParam = z.strictObject({ resetId: z.string().min(1).max(64) });

export const resetRoutes = router()
  .openapi(
    createRoute({
      method: "post",
      path: "/v1/resets",
      summary: "Start a self-service reset or unlock (the same `unavailable` answer for every user who cannot)",
      request: jsonBody(startResetRequestSchema),
      responses: { 201: json(resetSchema, "Started"), 200: json(unavailableSchema, "Unavailable"), ...errors(400, 409, 429) },
    }),
    async (c) => {
      const body = c.req.valid("json");
      const result = await startReset(flowContext(c), body.username, body.purpose);
      return result.status === 201 ? c.json(result.body, 201) : c.json(result.body, 200);
    },
  )
  .openapi(
    createRoute({
      method: "get",
      path: "/v1/resets/{resetId}",
      summary: "The reset's state",
      ...route.resetToken(),
      request: { params: resetParam },
      responses: { 200: json(resetSchema), ...errors(401, 409, 410, 429) },
    }),
    async (c) => {
      const loaded = await authenticateReset(c, c.req.valid("param").resetId);
      return c.json(toReset(loaded.reset, loaded.methods), 200);
    },
  )
  .openapi(
    createRoute({
      method: "post",
      path: "/v1/resets/{resetId}/challenges",
      summary: "Send a code to a method, or get the security questions to answer",
      ...route.resetToken(),
      request: { params: resetParam, ...jsonBody(challengeRequestSchema) },
      responses: { 202: json(challengeResponseSchema, "Challenge issued"), ...errors(400, 401, 404, 409, 410, 422, 429) },
    }),
    async (c) => {
      const { resetId } = c.req.valid("param");
      const { methodId } = c.req.valid("json");
      const db = c.get("db");
      const now = c.get("now");
      const client = clientKey(c.get("ip"));
      const send = await codeChallenge({ env: c.env, db, secret: secretKey(c.env), resetId, methodId, now, ip: c.get("ip"), client });
      const loaded = await authenticateReset<BatchItem<"sqlite">[]>(c, resetId, (tokenHash) => [...send.statements(tokenHash)]);
      const [[existingCode], counters, stored] = loaded.results as unknown as [CodeRow[], { key: string; count: number; windowEnd: number }[], unknown];
      return c.json(await challenge({ ctx: flowContext(c), loaded, methodId, existingCode, counters, client, code: send.code, stored: changes(stored) === 1 }), 202);
    },
  )
  .openapi(
    createRoute({
      method: "post",
      path: "/v1/resets/{resetId}/verify",
      summary: "Prove one method: a code, or answers to the questions asked",
      ...route.resetToken(),
      request: { params: resetParam, ...jsonBody(verifyRequestSchema) },
      responses: { 200: json(resetSchema), ...errors(400, 401, 404, 409, 410, 429) },
    }),
    async (c) => {
      const { resetId } = c.req.valid("param");
      const body = c.req.valid("json");
      const db = c.get("db");
      const code = "code" in body ? body.code : undefined;
      const now = c.get("now");
      // Prepared for an email or SMS code; for an app's code its statements find no code row and do nothing.
      const attempt = code ? await codeAttempt({ db, secret: secretKey(c.env), resetId, methodId: body.methodId, code, now, ip: c.get("ip") }) : null;
      // Answers, or a code an app could have shown (a sent code is longer): checked in JS, one at a time per user.
      const checkedInJs = "answers" in body || code?.length === TOTP_DIGITS;
      const loaded = await authenticateReset<BatchItem<"sqlite">[]>(c, resetId, (tokenHash) => [
        ...(attempt ? attempt.statements(tokenHash) : []),
        ...(checkedInJs ? [takeCheckLease(db, { tokenHash, resetId, methodId: body.methodId, now })] : []),
      ]);
      const reset = await verify({
        ctx: flowContext(c),
        loaded,
        methodId: body.methodId,
        code,
        answers: "answers" in body ? body.answers : undefined,
        codeResults: attempt ? (loaded.results as unknown as CodeAttemptResults) : undefined,
        lease: checkedInJs ? leaseOutcome(loaded.results.at(-1) as unknown as { count: number }[]) : "none",
      });
      return c.json(reset, 200);
    },
  )
  .openapi(
    createRoute({
      method: "post",
      path: "/v1/resets/{resetId}/password",
      summary: "Set the new password once enough methods are verified",
      ...route.resetToken(),
      request: { params: resetParam, ...jsonBody(resetPasswordRequestSchema) },
      responses: { 200: json(resetSchema), ...errors(400, 401, 409, 410, 422, 429, 503) },
    }),
    async (c) => {
      const { resetId } = c.req.valid("param");
      const { newPassword } = c.req.valid("json");
      const loaded = await authenticateReset(c, resetId, () => [globalAdminEmailsQuery(c.get("db"))]);
      const [admins] = loaded.results;
      const globalAdminEmails = admins.flatMap((a) => [a.email || null, a.account]).filter((e): e is string => !!e);
      return c.json(await complete({ ctx: flowContext(c), loaded, newPassword, globalAdminEmails }), 200);
    },
  )
  .openapi(
    createRoute({
      method: "post",
      path: "/v1/resets/{resetId}/unlock",
      summary: "Clear the sign-in lockout without changing the password (a verified reset of purpose `unlock`, when the policy allows it)",
      ...route.resetToken({ noBody: true }),
      request: { params: resetParam },
      responses: { 200: json(resetSchema, "Unlocked"), ...errors(401, 409, 410, 429, 503) },
    }),
    async (c) => {
      const loaded = await authenticateReset(c, c.req.valid("param").resetId, () => [globalAdminEmailsQuery(c.get("db"))]);
      const [admins] = loaded.results;
      const globalAdminEmails = admins.flatMap((a) => [a.email || null, a.account]).filter((e): e is string => !!e);
      return c.json(await unlock({ ctx: flowContext(c), loaded, globalAdminEmails }), 200);
    },
  );
