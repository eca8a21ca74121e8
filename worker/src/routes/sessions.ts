import { createRoute } from "@hono/zod-openapi";
import { eq } from "drizzle-orm";
import { sessionResponseSchema, signInRequestSchema } from "../../../shared/api/sessions.js";
import { auditInsert } from "../audit.js";
import { flowContext } from "../context.js";
import { sessions } from "../db/schema.js";
import { signIn } from "../flows/sign-in.js";
import { authenticate } from "../sessions/authenticate.js";
import { errors, json, jsonBody, noContent, router } from "./openapi.js";
import { route } from "./access.js";

export const sessionRoutes = router()
  .openapi(
    createRoute({
      method: "post",
      path: "/v1/sessions",
      summary: "Check a username and password; returns a session token",
      request: jsonBody(signInRequestSchema),
      responses: { 201: json(sessionResponseSchema, "Signed in"), ...errors(400, 401, 413, 415, 429) },
    }),
    async (c) => {
      const body = c.req.valid("json");
      const result = await signIn({
        ...flowContext(c),
        username: body.username,
        password: body.password,
      });
      return c.json(result, 201);
    },
  )
  .openapi(
    createRoute({
      method: "delete",
      path: "/v1/sessions/current",
      summary: "Sign out",
      ...route.signedIn({ noBody: true, allowMustChange: true }),
      responses: { 204: noContent, ...errors(401) },
    }),
    async (c) => {
      const { auth } = await authenticate(c, { allowMustChange: true });
      const db = c.get("db");
      await db.batch([
        db.delete(sessions).where(eq(sessions.tokenHash, auth.tokenHash)),
        auditInsert(db, { type: "session.ended", at: c.get("now"), actorId: auth.user.id, subjectId: auth.user.id, ip: c.get("ip"), outcome: "success" }),
      ]);
      return c.body(null, 204);
    },
  );
