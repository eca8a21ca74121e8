import { createRoute } from "@hono/zod-openapi";
import { eq } from "drizzle-orm";
import { reauthRequestSchema, reauthResponseSchema, sessionResponseSchema, signInRequestSchema } from "../../../shared/api/sessions.js";
import { auditInsert } from "../audit.js";
import { flowContext } from "../context.js";
import { sessions } from "../db/schema.js";
import { sha256Hex } from "../crypto/token-hash.js";
import { reauthenticate } from "../flows/reauth.js";
import { signIn } from "../flows/sign-in.js";
import { admitAttempt, countAttempt } from "../flows/sign-in-lockout.js";
import { authenticate, bearerToken } from "../sessions/authenticate.js";
import { errors, json, jsonBody, noContent, router } from "./openapi.js";
import { route } from "./access.js";

export const sessionRoutes = router()
  .openapi(
    createRoute({
      method: "post",
      path: "/v1/sessions",
      summary: "Check a username and password; returns a session token",
      request: jsonBody(signInRequestSchema),
      responses: { 201: json(sessionResponseSchema, "Signed in"), ...errors(400, 401, 413, 415, 429, 503) },
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
  )
  .openapi(
    createRoute({
      method: "post",
      path: "/v1/sessions/current/reauth",
      summary: "Prove the password again: the session is fresh (may change recovery methods) for 10 minutes",
      ...route.signedIn(),
      request: jsonBody(reauthRequestSchema),
      responses: { 200: json(reauthResponseSchema, "Fresh again"), ...errors(400, 401, 403, 413, 415, 429, 503) },
    }),
    async (c) => {
      const { password } = c.req.valid("json");
      const db = c.get("db");
      // Counted toward the sign-in lockout in the authentication batch, before the password is checked
      // (as POST /v1/me/password does), and only for a session that may reauth at all.
      const sessionTokenHash = await sha256Hex(bearerToken(c.req.header("authorization")) ?? "");
      const { auth, results } = await authenticate(c, {}, () => [...countAttempt(db, { sessionTokenHash, unlessMustChange: true }, null, c.get("now"), c.get("ip"))]);
      const attempt = admitAttempt(results[1], null, c.get("now"));
      if (!attempt) throw new Error("reauth: the lockout row was not written");
      return c.json(await reauthenticate({ ctx: flowContext(c), user: auth.row, tokenHash: auth.tokenHash, password, attempt }), 200);
    },
  );
