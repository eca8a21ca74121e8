import { createRoute, z } from "@hono/zod-openapi";
import { publicConfigSchema, toPublicConfig } from "../../../shared/api/config.js";
import { currentPolicyQuery, policyFromRow } from "../policy/store.js";
import type { Context } from "hono";
import { ADMIN_ROLES } from "../admin/access.js";
import type { AppEnv } from "../context.js";
import { deploymentChecks } from "../health/deployment-checks.js";
import { authenticate } from "../sessions/authenticate.js";
import { json, router } from "./openapi.js";

const checkSchema = z.object({ id: z.string(), ok: z.boolean(), message: z.string() });

/** The checks for an admin's bearer session; anyone else (or a bad token) gets the plain answer. */
async function checksForAdmin(c: Context<AppEnv>) {
  if (!c.req.header("authorization")) return undefined;
  try {
    await authenticate(c, { roles: ADMIN_ROLES });
  } catch {
    return undefined;
  }
  return deploymentChecks(c.env, c.get("db"));
}

export const publicRoutes = router()
  .openapi(
    createRoute({
      method: "get",
      path: "/healthz",
      summary: "Liveness; with an admin's bearer session, also what the deployment still lacks",
      responses: { 200: json(z.object({ status: z.literal("ok"), checks: z.array(checkSchema).optional() })) },
    }),
    async (c) => {
      const checks = await checksForAdmin(c);
      return c.json({ status: "ok" as const, ...(checks ? { checks } : {}) }, 200);
    },
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
