import { createRoute, z } from "@hono/zod-openapi";
import { policyInputSchema, policyPatchSchema, policySchema } from "../../../shared/policy/schema.js";
import { mergePatch, updatePolicy } from "../flows/policy-update.js";
import { currentPolicyQuery, policyFromRow } from "../policy/store.js";
import { authenticate } from "../sessions/authenticate.js";
import { errors, json, jsonBody, router } from "./openapi.js";
import { route } from "./access.js";

const ifMatchHeader = z.object({ "if-match": z.string().max(64).optional() });

const ADMIN_ROLES = ["global_admin", "password_admin"] as const;

export const adminPolicyRoutes = router()
  .openapi(
    createRoute({
      method: "get",
      path: "/v1/admin/policy",
      summary: "The current policy, with its version and the fixed admin policy",
      ...route.admins(),
      responses: { 200: json(policySchema), ...errors(401, 403) },
    }),
    async (c) => {
      const db = c.get("db");
      const { results } = await authenticate(c, { roles: [...ADMIN_ROLES] }, () => [currentPolicyQuery(db)]);
      const policy = policyFromRow(results[0][0]);
      c.header("ETag", `"${policy.version}"`);
      return c.json(policy, 200);
    },
  )
  .openapi(
    createRoute({
      method: "put",
      path: "/v1/admin/policy",
      summary: "Replace the policy",
      ...route.globalAdmins(),
      request: { headers: ifMatchHeader, ...jsonBody(policyInputSchema) },
      responses: { 200: json(policySchema), ...errors(400, 401, 403, 409, 412) },
    }),
    async (c) => {
      const body = c.req.valid("json");
      return c.json(await write(c, () => body), 200);
    },
  )
  .openapi(
    createRoute({
      method: "patch",
      path: "/v1/admin/policy",
      summary: "Change part of the policy (JSON merge patch: objects merge, arrays replace)",
      ...route.globalAdmins(),
      request: { headers: ifMatchHeader, ...jsonBody(policyPatchSchema) },
      responses: { 200: json(policySchema), ...errors(400, 401, 403, 409, 412) },
    }),
    async (c) => {
      const patch = c.req.valid("json");
      return c.json(await write(c, (current) => mergePatch(current, patch)), 200);
    },
  );

async function write(c: Parameters<typeof authenticate>[0], change: Parameters<typeof updatePolicy>[0]["change"]) {
  const db = c.get("db");
  const { auth, results } = await authenticate(c, { roles: ["global_admin"] }, () => [currentPolicyQuery(db)]);
  const policy = await updatePolicy({
    db,
    now: c.get("now"),
    ip: c.get("ip"),
    actorId: auth.user.id,
    current: policyFromRow(results[0][0]),
    ifMatch: c.req.header("if-match"),
    change,
  });
  c.header("ETag", `"${policy.version}"`);
  return policy;
}
