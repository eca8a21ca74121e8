import { createRoute, z } from "@hono/zod-openapi";
import { and, eq } from "drizzle-orm";
import type { SQL } from "drizzle-orm";
import {
  addMethodRequestSchema,
  addMethodResponseSchema,
  methodResponseSchema,
  methodsResponseSchema,
  resendResponseSchema,
  verifyMethodRequestSchema,
} from "../../../shared/api/me.js";
import { codeOf } from "../challenges/codes.js";
import { sendCodeReads } from "../challenges/send-code.js";
import type { Db } from "../context.js";
import { flowContext } from "../context.js";
import { recoveryMethods } from "../db/schema.js";
import { directory } from "../directory/directory.js";
import { toMethod } from "../directory/views.js";
import { notFound } from "../errors.js";
import { readCounters } from "../limits/counters.js";
import { currentPolicyQuery, policyFromRow } from "../policy/store.js";
import { addMethod } from "../registration/add-method.js";
import { removeMethod } from "../registration/remove-method.js";
import { resendCode } from "../registration/resend-code.js";
import { totpFailureLimit, verifyMethod } from "../registration/verify-method.js";
import { authenticate } from "../sessions/authenticate.js";
import { errors, json, jsonBody, noContent, router } from "./openapi.js";
import { route } from "./access.js";

const methodParam = z.strictObject({ id: z.string().min(1).max(64) });

/** A method of the signed-in user only: another user's id is simply not found. */
const ownMethod = (db: Db, id: string, userId: SQL) =>
  db.select().from(recoveryMethods).where(and(eq(recoveryMethods.id, id), eq(recoveryMethods.userId, userId))).limit(1);

export const meMethodRoutes = router()
  .openapi(
    createRoute({ method: "get", path: "/v1/me/methods", summary: "The user's recovery methods (hints only)", ...route.signedIn(), responses: { 200: json(methodsResponseSchema), ...errors(401, 403) } }),
    async (c) => {
      const { results } = await authenticate(c, {}, (userId) => [directory.methodsOf(c.get("db"), userId)]);
      return c.json({ methods: results[0].map(toMethod) }, 200);
    },
  )
  .openapi(
    createRoute({
      method: "post",
      path: "/v1/me/methods",
      summary: "Add a recovery method (pending until verified); needs a fresh session",
      ...route.signedIn({ fresh: true }),
      request: jsonBody(addMethodRequestSchema),
      responses: { 201: json(addMethodResponseSchema, "Added"), ...errors(400, 401, 403, 409, 422, 429) },
    }),
    async (c) => {
      const db = c.get("db");
      const body = c.req.valid("json");
      const { auth, results } = await authenticate(c, { fresh: true }, (userId) => [directory.methodsOf(db, userId), currentPolicyQuery(db)]);
      const [methods, policyRows] = results;
      const added = await addMethod({ ctx: flowContext(c), user: auth.row, methods, policy: policyFromRow(policyRows[0]), body });
      return c.json(added, 201);
    },
  )
  .openapi(
    createRoute({
      method: "post",
      path: "/v1/me/methods/{id}/verify",
      summary: "Activate a method with the code sent to it (or the app's current code); needs a fresh session",
      ...route.signedIn({ fresh: true }),
      request: { params: methodParam, ...jsonBody(verifyMethodRequestSchema) },
      responses: { 200: json(methodResponseSchema), ...errors(400, 401, 403, 404, 409, 429) },
    }),
    async (c) => {
      const db = c.get("db");
      const { id } = c.req.valid("param");
      const { code } = c.req.valid("json");
      const now = c.get("now");
      const { auth, results } = await authenticate(c, { fresh: true }, (userId) => [
        codeOf(db, id, "registration"),
        readCounters(db, [totpFailureLimit(id).key], now),
        directory.methodsOf(db, userId),
        currentPolicyQuery(db),
      ]);
      const [[codeRow], totpFailures, methods, policyRows] = results;
      const method = methods.find((m) => m.id === id);
      if (!method) throw notFound("No such recovery method.");
      const verified = await verifyMethod({ ctx: flowContext(c), user: auth.row, method, code, codeRow, totpFailures, methods, policy: policyFromRow(policyRows[0]) });
      return c.json({ method: verified }, 200);
    },
  )
  .openapi(
    createRoute({
      method: "post",
      path: "/v1/me/methods/{id}/resend",
      summary: "Send a new code to a pending email or phone; needs a fresh session",
      ...route.signedIn({ noBody: true, fresh: true }),
      request: { params: methodParam },
      responses: { 202: json(resendResponseSchema, "Sent"), ...errors(401, 403, 404, 409, 422, 429) },
    }),
    async (c) => {
      const db = c.get("db");
      const { id } = c.req.valid("param");
      const now = c.get("now");
      const { auth, results } = await authenticate(c, { fresh: true }, (userId) => [ownMethod(db, id, userId), currentPolicyQuery(db), ...sendCodeReads(db, id, userId, "registration", now)]);
      const [[method], policyRows, [existing], counters] = results;
      if (!method) throw notFound("No such recovery method.");
      const sent = await resendCode({ ctx: flowContext(c), user: auth.row, method, policy: policyFromRow(policyRows[0]), existing, counters });
      return c.json(sent, 202);
    },
  )
  .openapi(
    createRoute({
      method: "delete",
      path: "/v1/me/methods/{id}",
      summary: "Remove a recovery method; needs a fresh session",
      ...route.signedIn({ noBody: true, fresh: true }),
      request: { params: methodParam },
      responses: { 204: noContent, ...errors(401, 403, 404) },
    }),
    async (c) => {
      const db = c.get("db");
      const { id } = c.req.valid("param");
      const { auth, results } = await authenticate(c, { fresh: true }, (userId) => [directory.methodsOf(db, userId), currentPolicyQuery(db)]);
      const [methods, policyRows] = results;
      const method = methods.find((m) => m.id === id);
      if (!method) throw notFound("No such recovery method.");
      await removeMethod({ ctx: flowContext(c), user: auth.row, methods, method, policy: policyFromRow(policyRows[0]) });
      return c.body(null, 204);
    },
  );
