import { createRoute } from "@hono/zod-openapi";
import { meResponseSchema } from "../../../shared/api/sessions.js";
import { directory } from "../directory/directory.js";
import { toMethod, toUser } from "../directory/views.js";
import { currentPolicyQuery, policyFromRow } from "../policy/store.js";
import { registrationStatus } from "../registration/status.js";
import { authenticate } from "../sessions/authenticate.js";
import { bearerSecurity, errors, json, router } from "./openapi.js";

export const meRoutes = router().openapi(
  createRoute({
    method: "get",
    path: "/v1/me",
    summary: "The signed-in user and their registration status",
    security: bearerSecurity,
    responses: { 200: json(meResponseSchema), ...errors(401) },
  }),
  async (c) => {
    const db = c.get("db");
    const { auth, results } = await authenticate(c, { allowMustChange: true }, (userId) => [
      directory.methodsOf(db, userId),
      currentPolicyQuery(db),
    ]);
    const [methodRows, policyRows] = results;
    const methods = methodRows.map(toMethod);
    const registration = registrationStatus(auth.row, methods, policyFromRow(policyRows[0]), c.get("now"));
    return c.json({ user: toUser(auth.row), registration }, 200);
  },
);
