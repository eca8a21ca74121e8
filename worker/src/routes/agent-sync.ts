import { createRoute } from "@hono/zod-openapi";
import { createMiddleware } from "hono/factory";
import { syncPageRequestSchema, syncPageResponseSchema } from "../../../shared/directory/protocol.js";
import type { AppEnv } from "../context.js";
import { authenticateAgent } from "../directory/agent/authenticate-agent.js";
import { applySyncPage } from "../directory/sync/sync-page.js";
import { bearerSecurity, errors, json, jsonBody, router } from "./openapi.js";

/** The agent's credential before the body is validated: 401 comes before 400, as for users. */
const agentFirst = createMiddleware<AppEnv>(async (c, next) => {
  c.set("agent", await authenticateAgent(c.get("db"), c.req.header("authorization")));
  await next();
});

export const agentSyncRoutes = router().openapi(
  createRoute({
    method: "post",
    path: "/v1/agent/sync",
    summary: "A directory agent's sync page (in order, page 0 first; the last one closes the sync)",
    security: bearerSecurity,
    middleware: [agentFirst],
    request: jsonBody(syncPageRequestSchema),
    responses: { 200: json(syncPageResponseSchema, "Applied"), ...errors(400, 401, 409, 413, 415) },
  }),
  async (c) => {
    return c.json(await applySyncPage(c.get("db"), c.get("agent"), c.req.valid("json"), c.get("now")), 200);
  },
);
