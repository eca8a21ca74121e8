import { createRoute } from "@hono/zod-openapi";
import { enrollRequestSchema, enrollResponseSchema } from "../../../shared/directory/protocol.js";
import { authenticateAgent } from "../directory/agent/authenticate-agent.js";
import { HUB_AGENT_ID_HEADER, HUB_AGENT_KEY_HEADER } from "../directory/agent/directory-hub.js";
import { enrollAgent } from "../directory/agent/enroll.js";
import { directoryHub } from "../directory/agent/hub.js";
import { ApiError } from "../errors.js";
import { bearerSecurity, errors, json, jsonBody, router } from "./openapi.js";

const notAWebSocket = () => new ApiError(400, "invalid_request", "Connect with a WebSocket upgrade (Upgrade: websocket).");

/** The directory agent's side of the API (directory.md): it enrolls once, then keeps one WebSocket open. */
export const agentRoutes = router()
  .openapi(
    createRoute({
      method: "post",
      path: "/v1/agent/enroll",
      summary: "Trade a one-time enrollment token and the agent's public key for the agent's credential",
      request: jsonBody(enrollRequestSchema),
      responses: { 200: json(enrollResponseSchema), ...errors(400, 401, 413, 415) },
    }),
    async (c) => c.json(await enrollAgent(c.get("db"), c.get("now"), c.get("ip"), c.req.valid("json")), 200),
  )
  .openapi(
    createRoute({
      method: "get",
      path: "/v1/agent/connect",
      summary:
        'The agent\'s WebSocket (Upgrade: websocket, Authorization: Bearer <credential>). Jobs arrive as {type:"job"}; the agent answers {type:"result"} and sends "ping" (answered "pong") to keep it open',
      security: bearerSecurity,
      responses: { 101: { description: "Switching protocols" }, ...errors(400, 401) },
    }),
    async (c) => {
      const agent = await authenticateAgent(c.get("db"), c.req.header("authorization"));
      if (c.req.header("upgrade")?.toLowerCase() !== "websocket" || !agent.publicKey) throw notAWebSocket();
      const upgraded = await directoryHub(c.env).fetch("https://directory-hub/connect", {
        headers: { upgrade: "websocket", [HUB_AGENT_ID_HEADER]: agent.id, [HUB_AGENT_KEY_HEADER]: agent.publicKey },
      });
      if (!upgraded.webSocket) throw notAWebSocket();
      // A fresh response: the hub's has immutable headers, and the middleware adds its own on the way out.
      return new Response(null, { status: 101, webSocket: upgraded.webSocket });
    },
  );
