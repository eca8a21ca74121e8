import { createRoute, z } from "@hono/zod-openapi";
import { accepts } from "hono/accepts";
import { auditQuerySchema, auditResponseSchema } from "../../../shared/api/admin.js";
import { ADMIN_ROLES } from "../admin/access.js";
import { auditCsv, auditPage, auditPageQuery } from "../admin/audit-log.js";
import { invalidRequest } from "../errors.js";
import { authenticate } from "../sessions/authenticate.js";
import { checkInput } from "../validate.js";
import { errors, router } from "./openapi.js";
import { route } from "./access.js";

type AcceptedRanges = Parameters<NonNullable<Parameters<typeof accepts>[1]["match"]>>[0];

/** The q of the most specific media range that matches `type` (RFC 9110 §12.5.1); 0 when none does. */
function qualityOf(ranges: AcceptedRanges, type: string): number {
  const main = type.split("/")[0];
  let specificity = 0;
  let q = 0;
  for (const range of ranges) {
    const name = range.type.toLowerCase();
    const s = name === type ? 3 : name === `${main}/*` ? 2 : name === "*/*" || name === "*" ? 1 : 0;
    if (s > specificity) (specificity = s), (q = range.q);
  }
  return q;
}

/**
 * JSON is the default: CSV only when the client rates text/csv strictly higher than application/json
 * (an unlisted type has q 0, wildcard ranges count as for any other type, q=0 means "not acceptable").
 */
export const auditFormat = (ranges: AcceptedRanges): "text/csv" | "application/json" =>
  qualityOf(ranges, "text/csv") > qualityOf(ranges, "application/json") ? "text/csv" : "application/json";

export const adminAuditRoutes = router().openapi(
  createRoute({
    method: "get",
    path: "/v1/admin/audit",
    summary: "The audit log, newest first; `Accept: text/csv` gives the same page as CSV (next page in `Link`)",
    ...route.admins(),
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
    const db = c.get("db");
    // In an array: a query is thenable, and awaiting it bare would run it.
    const [pageQuery] = await checkInput(c, () => {
      if (query.since && query.until && Date.parse(query.since) >= Date.parse(query.until)) {
        throw invalidRequest([{ path: "until", message: "Must be later than since." }]);
      }
      return [auditPageQuery(db, query)] as const;
    });
    const { results } = await authenticate(c, { roles: ADMIN_ROLES }, () => [pageQuery]);
    const page = auditPage(results[0], query.limit);
    const format = accepts(c, { header: "Accept", supports: ["application/json", "text/csv"], default: "application/json", match: auditFormat });
    c.header("Vary", "Accept", { append: true });
    if (format !== "text/csv") return c.json(page, 200);

    if (page.nextCursor) {
      const next = new URL(c.req.url);
      next.searchParams.set("cursor", page.nextCursor);
      c.header("Link", `<${next.pathname}${next.search}>; rel="next"`);
    }
    c.header("Content-Disposition", 'attachment; filename="audit.csv"');
    return c.body(auditCsv(page.events), 200, { "Content-Type": "text/csv; charset=utf-8" });
  },
);
