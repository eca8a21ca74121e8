import { createRoute, z } from "@hono/zod-openapi";
import { auditQuerySchema, auditResponseSchema } from "../../../shared/api/admin.js";
import { ADMIN_ROLES } from "../admin/access.js";
import { auditCsv, auditPage, auditPageQuery } from "../admin/audit-log.js";
import { invalidRequest } from "../errors.js";
import { authenticate } from "../sessions/authenticate.js";
import { bearerSecurity, errors, router } from "./openapi.js";

const wantsCsv = (accept: string | undefined) => /(^|,)\s*text\/csv\s*(;|,|$)/i.test(accept ?? "");

export const adminAuditRoutes = router().openapi(
  createRoute({
    method: "get",
    path: "/v1/admin/audit",
    summary: "The audit log, newest first; `Accept: text/csv` gives the same page as CSV (next page in `Link`)",
    security: bearerSecurity,
    request: { query: auditQuerySchema },
    responses: {
      200: {
        description: "OK",
        content: {
          "application/json": { schema: auditResponseSchema },
          "text/csv": { schema: z.string().openapi({ description: "Header row id,at,type,actorId,subjectId,ip,outcome,detail; detail is JSON" }) },
        },
      },
      ...errors(400, 401, 403),
    },
  }),
  async (c) => {
    const query = c.req.valid("query");
    if (query.since && query.until && Date.parse(query.since) >= Date.parse(query.until)) {
      throw invalidRequest([{ path: "until", message: "Must be later than since." }]);
    }
    const db = c.get("db");
    const { results } = await authenticate(c, { roles: ADMIN_ROLES }, () => [auditPageQuery(db, query)]);
    const page = auditPage(results[0], query.limit);
    if (!wantsCsv(c.req.header("accept"))) return c.json(page, 200);

    if (page.nextCursor) {
      const next = new URL(c.req.url);
      next.searchParams.set("cursor", page.nextCursor);
      c.header("Link", `<${next.pathname}${next.search}>; rel="next"`);
    }
    c.header("Content-Disposition", 'attachment; filename="audit.csv"');
    return c.body(auditCsv(page.events), 200, { "Content-Type": "text/csv; charset=utf-8" });
  },
);
