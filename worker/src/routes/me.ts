import { createRoute } from "@hono/zod-openapi";
import { changePasswordRequestSchema, registrationResponseSchema } from "../../../shared/api/me.js";
import { meResponseSchema } from "../../../shared/api/sessions.js";
import { flowContext } from "../context.js";
import { directory } from "../directory/directory.js";
import { toMethod, toUser } from "../directory/views.js";
import { admitAttempt, countAttempt } from "../flows/sign-in-lockout.js";
import { currentPolicyQuery, policyFromRow } from "../policy/store.js";
import { changePassword } from "../registration/change-password.js";
import { confirmRegistration, skipRegistration } from "../registration/confirm-skip.js";
import { registrationStatus } from "../registration/status.js";
import { sha256Hex } from "../crypto/token-hash.js";
import { authenticate, bearerToken } from "../sessions/authenticate.js";
import { errors, json, jsonBody, noContent, router } from "./openapi.js";
import { route } from "./access.js";

const registrationAction = (path: string, summary: string, extraErrors: number[]) =>
  createRoute({
    method: "post",
    path,
    summary,
    ...route.signedIn({ noBody: true }),
    responses: { 200: json(registrationResponseSchema), ...errors(401, 403, ...extraErrors) },
  });

export const meRoutes = router()
  .openapi(
    createRoute({
      method: "get",
      path: "/v1/me",
      summary: "The signed-in user and their registration status",
      ...route.signedIn({ allowMustChange: true }),
      responses: { 200: json(meResponseSchema), ...errors(401) },
    }),
    async (c) => {
      const db = c.get("db");
      const { auth, results } = await authenticate(c, { allowMustChange: true }, (userId) => [directory.methodsOf(db, userId)]);
      const [methodRows] = results;
      const registration = registrationStatus(auth.row, methodRows.map(toMethod), auth.policy, c.get("now"));
      return c.json({ user: toUser(auth.row, auth.policy, c.get("now")), registration }, 200);
    },
  )
  .openapi(registrationAction("/v1/me/registration/confirm", "Confirm that the recovery info is current", [409]), async (c) => {
    const db = c.get("db");
    const { auth, results } = await authenticate(c, {}, (userId) => [directory.methodsOf(db, userId), currentPolicyQuery(db)]);
    const [methods, policyRows] = results;
    const registration = await confirmRegistration({ ctx: flowContext(c), user: auth.row, methods, policy: policyFromRow(policyRows[0]) });
    return c.json({ registration }, 200);
  })
  .openapi(registrationAction("/v1/me/registration/skip", "Postpone registration (while skips remain)", [409]), async (c) => {
    const db = c.get("db");
    const { auth, results } = await authenticate(c, {}, (userId) => [directory.methodsOf(db, userId), currentPolicyQuery(db)]);
    const [methods, policyRows] = results;
    const registration = await skipRegistration({ ctx: flowContext(c), user: auth.row, methods, policy: policyFromRow(policyRows[0]) });
    return c.json({ registration }, 200);
  })
  .openapi(
    createRoute({
      method: "post",
      path: "/v1/me/password",
      summary: "Change the password (other sessions are revoked)",
      ...route.signedIn({ allowMustChange: true }),
      request: jsonBody(changePasswordRequestSchema),
      responses: { 204: noContent, ...errors(400, 401, 409, 422, 429, 503) },
    }),
    async (c) => {
      const body = c.req.valid("json");
      const db = c.get("db");
      // The attempt is counted toward the sign-in lockout in the authentication batch, before the
      // current password is checked (only if the session is valid: the statement checks it itself).
      const sessionTokenHash = await sha256Hex(bearerToken(c.req.header("authorization")) ?? "");
      const { auth, results } = await authenticate(c, { allowMustChange: true }, () => [
        currentPolicyQuery(db),
        ...countAttempt(db, { sessionTokenHash }, null, c.get("now"), c.get("ip")),
      ]);
      const attempt = admitAttempt(results[2], null, c.get("now"));
      if (!attempt) throw new Error("password change: the lockout row was not written");
      await changePassword({
        ctx: flowContext(c),
        user: auth.row,
        tokenHash: auth.tokenHash,
        policy: policyFromRow(results[0][0]),
        currentPassword: body.currentPassword,
        newPassword: body.newPassword,
        attempt,
      });
      return c.body(null, 204);
    },
  );
