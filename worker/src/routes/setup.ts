import { createRoute } from "@hono/zod-openapi";
import { setupRequestSchema } from "../../../shared/api/sessions.js";
import { userSchema } from "../../../shared/api/users.js";
import { createMiddleware } from "hono/factory";
import type { AppEnv } from "../context.js";
import { flowContext } from "../context.js";
import { assertSetupToken, setUp } from "../flows/setup.js";
import { bearerCredential } from "../sessions/authenticate.js";
import { bearerSecurity, errors, json, jsonBody, router } from "./openapi.js";

export const setupRoutes = router().openapi(
  createRoute({
    method: "post",
    path: "/v1/setup",
    summary: "Create the first global admin with the SETUP_TOKEN secret",
    security: bearerSecurity,
    middleware: [
      createMiddleware<AppEnv>(async (c, next) => {
        await assertSetupToken(c.env, bearerCredential(c.req.header("authorization")));
        await next();
      }),
    ],
    request: jsonBody(setupRequestSchema),
    responses: { 201: json(userSchema, "Created"), ...errors(400, 401, 404, 409, 422) },
  }),
  async (c) => {
    const user = await setUp({
      ...flowContext(c),
      origin: new URL(c.req.url).origin,
      body: c.req.valid("json"),
    });
    return c.json(user, 201);
  },
);
