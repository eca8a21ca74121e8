import { createRoute } from "@hono/zod-openapi";
import { changePasswordRequestSchema, registrationResponseSchema } from "../../../shared/api/me.js";
import { meResponseSchema } from "../../../shared/api/sessions.js";
import { flowContext } from "../context.js";
import { directory } from "../directory/directory.js";
import { toMethod, toUser } from "../directory/views.js";
import { lockoutOfUser } from "../flows/sign-in-lockout.js";
import { currentPolicyQuery, policyFromRow } from "../policy/store.js";
import { changePassword } from "../registration/change-password.js";
import { confirmRegistration, skipRegistration } from "../registration/confirm-skip.js";
import { registrationStatus } from "../registration/status.js";
import { authenticate } from "../sessions/authenticate.js";
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
      ...route.signedIn(),
      responses: { 200: json(meResponseSchema), ...errors(401) },
    }),
    async (c) => {
      const db = c.get("db");
      const { auth, results } = await authenticate(c, { allowMustChange: true }, (userId) => [directory.methodsOf(db, userId), currentPolicyQuery(db)]);
      const [methodRows, policyRows] = results;
      const registration = registrationStatus(auth.row, methodRows.map(toMethod), policyFromRow(policyRows[0]), c.get("now"));
      return c.json({ user: toUser(auth.row), registration }, 200);
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
      ...route.signedIn(),
      request: jsonBody(changePasswordRequestSchema),
      responses: { 204: noContent, ...errors(400, 401, 422, 429) },
    }),
    async (c) => {
      const body = c.req.valid("json");
      const db = c.get("db");
      const { auth, results } = await authenticate(c, { allowMustChange: true }, (userId) => [currentPolicyQuery(db), lockoutOfUser(db, userId)]);
      await changePassword({
        ctx: flowContext(c),
        user: auth.row,
        tokenHash: auth.tokenHash,
        policy: policyFromRow(results[0][0]),
        currentPassword: body.currentPassword,
        newPassword: body.newPassword,
        lockout: results[1][0],
      });
      return c.body(null, 204);
    },
  );
