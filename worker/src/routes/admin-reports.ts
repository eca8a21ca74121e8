import { createRoute } from "@hono/zod-openapi";
import { registrationReportSchema, resetReportQuerySchema, resetReportSchema } from "../../../shared/api/admin.js";
import { ADMIN_ROLES } from "../admin/access.js";
import type { RegistrationBucket } from "../admin/reports.js";
import { registrationBucketsQuery, resetReportQuery, toRegistrationReport, toResetReport } from "../admin/reports.js";
import { currentPolicyQuery, policyFromRow } from "../policy/store.js";
import { authenticate } from "../sessions/authenticate.js";
import { rejectInput } from "../validate.js";
import { errors, json, router } from "./openapi.js";
import { route } from "./access.js";

const DEFAULT_WINDOW_MS = 30 * 86_400_000;

type RawRows<T> = { results: T[] };

export const adminReportRoutes = router()
  .openapi(
    createRoute({
      method: "get",
      path: "/v1/admin/reports/registration",
      summary: "Registration coverage under the current policy (users, enabled, registered, by method)",
      ...route.admins(),
      responses: { 200: json(registrationReportSchema), ...errors(401, 403) },
    }),
    async (c) => {
      const db = c.get("db");
      const { results } = await authenticate(c, { roles: ADMIN_ROLES }, () => [currentPolicyQuery(db), registrationBucketsQuery(db)]);
      const buckets = (results[1] as unknown as RawRows<RegistrationBucket>).results;
      return c.json(toRegistrationReport(buckets, policyFromRow(results[0][0])), 200);
    },
  )
  .openapi(
    createRoute({
      method: "get",
      path: "/v1/admin/reports/resets",
      summary: "The self-service reset funnel in a time window (default: the last 30 days)",
      ...route.admins(),
      request: { query: resetReportQuerySchema },
      responses: { 200: json(resetReportSchema), ...errors(400, 401, 403) },
    }),
    async (c) => {
      const query = c.req.valid("query");
      const until = query.until ? Date.parse(query.until) : c.get("now");
      const since = query.since ? Date.parse(query.since) : until - DEFAULT_WINDOW_MS;
      if (since >= until) await rejectInput(c, [{ path: "until", message: "Must be later than since." }]);
      const db = c.get("db");
      const { results } = await authenticate(c, { roles: ADMIN_ROLES }, () => [resetReportQuery(db, since, until)]);
      const rows = (results[0] as unknown as RawRows<Parameters<typeof toResetReport>[0][number]>).results;
      return c.json(toResetReport(rows, since, until), 200);
    },
  );
