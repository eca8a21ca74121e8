import { createRoute, z } from "@hono/zod-openapi";
import { publicConfigSchema, toPublicConfig } from "../../../shared/api/config.js";
import { currentPolicyQuery, policyFromRow } from "../policy/store.js";
import { json, router } from "./openapi.js";

export const publicRoutes = router()
  .openapi(
    createRoute({
      method: "get",
      path: "/healthz",
      responses: { 200: json(z.object({ status: z.literal("ok") })) },
    }),
    (c) => c.json({ status: "ok" as const }, 200),
  )
  .openapi(
    createRoute({
      method: "get",
      path: "/v1/config",
      summary: "The public part of the policy, for clients guiding a user",
      responses: { 200: json(publicConfigSchema) },
    }),
    async (c) => {
      const [row] = await currentPolicyQuery(c.get("db"));
      return c.json(toPublicConfig(policyFromRow(row)), 200);
    },
  );
