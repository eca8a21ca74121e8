import { createRoute, z } from "@hono/zod-openapi";
import {
  createUserRequestSchema,
  createUserResponseSchema,
  importResponseSchema,
  listUsersQuerySchema,
  listUsersResponseSchema,
  MAX_IMPORT_ROWS,
  patchUserRequestSchema,
  userIdParam,
} from "../../../shared/api/admin.js";
import { adminUserSchema } from "../../../shared/api/users.js";
import { ADMIN_ROLES } from "../admin/access.js";
import { createUser } from "../admin/create-user.js";
import { importUsers } from "../admin/import-users.js";
import { deleteUser, patchUser } from "../admin/update-user.js";
import { listUsers } from "../admin/user-list.js";
import { adminUserReads, toAdminUser } from "../admin/views.js";
import { notFound } from "../errors.js";
import { currentPolicyQuery, policyFromRow } from "../policy/store.js";
import { authenticate } from "../sessions/authenticate.js";
import { errors, json, jsonBody, noContent, router } from "./openapi.js";
import { route } from "./access.js";

/**
 * Import rows are validated one by one (a bad row is an `{index, error}`, not a 400 for the file), so
 * the body schema accepts any row and documents the row's real schema for the OpenAPI document.
 */
const { $schema: _drop, ...rowJsonSchema } = z.toJSONSchema(createUserRequestSchema, { io: "input" });
const importRequestSchema = z.strictObject({
  users: z.array(z.unknown().openapi(rowJsonSchema as object)).min(1).max(MAX_IMPORT_ROWS),
});

const userPath = { params: userIdParam };

export const adminUserRoutes = router()
  .openapi(
    createRoute({
      method: "get",
      path: "/v1/admin/users",
      summary: "List users: search by username or display name, filter by group or role, cursor pagination",
      ...route.admins(),
      request: { query: listUsersQuerySchema },
      responses: { 200: json(listUsersResponseSchema), ...errors(400, 401, 403) },
    }),
    async (c) => c.json(await listUsers(c, c.req.valid("query")), 200),
  )
  .openapi(
    createRoute({
      method: "post",
      path: "/v1/admin/users",
      summary: "Create a user; without a password a temporary one is generated and returned once",
      ...route.admins(),
      request: jsonBody(createUserRequestSchema),
      responses: { 201: json(createUserResponseSchema, "Created"), ...errors(400, 401, 403, 409, 413, 415, 422) },
    }),
    async (c) => c.json(await createUser(c, c.req.valid("json")), 201),
  )
  .openapi(
    createRoute({
      method: "post",
      path: "/v1/admin/users/import",
      summary: "Create up to 1000 users; each failed row is reported and creates nothing",
      ...route.globalAdmins(),
      request: jsonBody(importRequestSchema),
      responses: { 200: json(importResponseSchema), ...errors(400, 401, 403, 413, 415) },
    }),
    async (c) => c.json(await importUsers(c, c.req.valid("json").users), 200),
  )
  .openapi(
    createRoute({
      method: "get",
      path: "/v1/admin/users/{id}",
      summary: "One user with registration (hints only), lock state and last sign-in",
      ...route.admins(),
      request: userPath,
      responses: { 200: json(adminUserSchema), ...errors(400, 401, 403, 404) },
    }),
    async (c) => {
      const db = c.get("db");
      const { id } = c.req.valid("param");
      const { results } = await authenticate(c, { roles: ADMIN_ROLES }, () => [...adminUserReads(db, id), currentPolicyQuery(db)]);
      const [rows, methods, policyRows] = results;
      if (!rows[0]) throw notFound("No user has that id.");
      return c.json(toAdminUser(rows[0], methods, policyFromRow(policyRows[0]), c.get("now")), 200);
    },
  )
  .openapi(
    createRoute({
      method: "patch",
      path: "/v1/admin/users/{id}",
      summary: "Change display name, roles, groups or the disabled flag",
      ...route.admins(),
      request: { ...userPath, ...jsonBody(patchUserRequestSchema) },
      responses: { 200: json(adminUserSchema), ...errors(400, 401, 403, 404, 409, 413, 415) },
    }),
    async (c) => c.json(await patchUser(c, c.req.valid("param").id, c.req.valid("json")), 200),
  )
  .openapi(
    createRoute({
      method: "delete",
      path: "/v1/admin/users/{id}",
      summary: "Delete a user (never the last global admin)",
      ...route.globalAdmins({ noBody: true }),
      request: userPath,
      responses: { 204: noContent, ...errors(400, 401, 403, 404, 409) },
    }),
    async (c) => {
      await deleteUser(c, c.req.valid("param").id);
      return c.body(null, 204);
    },
  );
