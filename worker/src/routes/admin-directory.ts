import { createRoute } from "@hono/zod-openapi";
import { agentIdParam, createAgentRequestSchema, createAgentResponseSchema, directoryStatusSchema } from "../../../shared/api/directory.js";
import { createAgent, deleteAgent, directoryStatus, requestSync } from "../directory/agent/admin-agents.js";
import { errors, json, jsonBody, noContent, router } from "./openapi.js";
import { route } from "./access.js";

export const adminDirectoryRoutes = router()
  .openapi(
    createRoute({
      method: "post",
      path: "/v1/admin/directory/agents",
      summary: "Add a directory agent; its enrollment token is shown once, valid one hour, single use",
      ...route.globalAdmins(),
      request: jsonBody(createAgentRequestSchema),
      responses: { 201: json(createAgentResponseSchema, "Created"), ...errors(400, 401, 403, 413, 415) },
    }),
    async (c) => c.json(await createAgent(c, c.req.valid("json").name), 201),
  )
  .openapi(
    createRoute({
      method: "get",
      path: "/v1/admin/directory",
      summary: "The directory agents (connected or not) and the last finished sync",
      ...route.admins(),
      responses: { 200: json(directoryStatusSchema), ...errors(401, 403) },
    }),
    async (c) => c.json(await directoryStatus(c), 200),
  )
  .openapi(
    createRoute({
      method: "post",
      path: "/v1/admin/directory/sync",
      summary: "Ask the connected agent for a full sync now; answered once the agent accepted",
      ...route.globalAdmins({ noBody: true }),
      responses: { 202: { description: "Accepted: the agent is syncing" }, ...errors(400, 401, 403, 503) },
    }),
    async (c) => {
      await requestSync(c);
      return c.body(null, 202);
    },
  )
  .openapi(
    createRoute({
      method: "delete",
      path: "/v1/admin/directory/agents/{id}",
      summary: "Remove a directory agent: its credential stops working and its connection closes at once",
      ...route.globalAdmins({ noBody: true }),
      request: { params: agentIdParam },
      responses: { 204: noContent, ...errors(400, 401, 403, 404, 503) },
    }),
    async (c) => {
      await deleteAgent(c, c.req.valid("param").id);
      return c.body(null, 204);
    },
  );
