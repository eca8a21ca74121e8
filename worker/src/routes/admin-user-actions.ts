import { createRoute } from "@hono/zod-openapi";
import { setPasswordRequestSchema, setPasswordResponseSchema, userIdParam } from "../../../shared/api/admin.js";
import { clearMethods, setTemporaryPassword, unlockUser } from "../admin/user-actions.js";
import { errors, json, noContent, router } from "./openapi.js";
import { route } from "./access.js";

const userPath = { params: userIdParam };

export const adminUserActionRoutes = router()
  .openapi(
    createRoute({
      method: "post",
      path: "/v1/admin/users/{id}/password",
      summary: "Set a temporary password (given, or generated); the user must change it; sessions revoked",
      ...route.admins(),
      request: {
        ...userPath,
        // The body is optional: no body (or {}) asks for a generated password.
        body: { required: false, content: { "application/json": { schema: setPasswordRequestSchema } } },
      },
      responses: { 200: json(setPasswordResponseSchema), ...errors(400, 401, 403, 404, 409, 413, 415, 422, 503) },
    }),
    async (c) => {
      const body = c.req.valid("json") as { password?: string } | undefined;
      return c.json(await setTemporaryPassword(c, c.req.valid("param").id, body?.password), 200);
    },
  )
  .openapi(
    createRoute({
      method: "delete",
      path: "/v1/admin/users/{id}/methods",
      summary: "Remove every recovery method: the user must register again",
      ...route.admins({ noBody: true }),
      request: userPath,
      responses: { 204: noContent, ...errors(400, 401, 403, 404) },
    }),
    async (c) => {
      await clearMethods(c, c.req.valid("param").id);
      return c.body(null, 204);
    },
  )
  .openapi(
    createRoute({
      method: "post",
      path: "/v1/admin/users/{id}/unlock",
      summary: "Clear the sign-in lockout and the self-service reset block",
      ...route.admins({ noBody: true }),
      request: userPath,
      responses: { 204: noContent, ...errors(400, 401, 403, 404, 409, 503) },
    }),
    async (c) => {
      await unlockUser(c, c.req.valid("param").id);
      return c.body(null, 204);
    },
  );
