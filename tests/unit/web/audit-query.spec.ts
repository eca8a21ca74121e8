import { expect, it } from "vitest";
import { nextLink, withoutHeader } from "../../../web/admin/src/audit/csv-download.js";
import { auditHref, auditSearch, dateProblem, filtersFromSearch, localMidnight, NO_FILTERS } from "../../../web/admin/src/audit/query.js";

it("turns the filters into the audit query, the last day included", () => {
  const q = auditSearch({ type: "reset.completed", user: "jane", from: "2026-12-01", to: "2026-12-07" }, "usr_jane", "c1", 50);
  expect(q.get("type")).toBe("reset.completed");
  expect(q.get("userId")).toBe("usr_jane");
  expect(q.get("since")).toBe(new Date(2026, 11, 1).toISOString());
  expect(q.get("until")).toBe(new Date(2026, 11, 8).toISOString());
  expect(q.get("cursor")).toBe("c1");
  expect(q.get("limit")).toBe("50");
  expect([...auditSearch(NO_FILTERS, null, null, 10).keys()]).toEqual(["limit"]);
});

it("refuses a reversed window and a malformed date before asking the server", () => {
  expect(dateProblem({ from: "2026-12-07", to: "2026-12-07" })).toBeNull();
  expect(dateProblem({ from: "2026-12-08", to: "2026-12-07" })).toEqual({ field: "to", message: "The last day must not be before the first." });
  expect(dateProblem({ from: "yesterday", to: "" })?.field).toBe("from");
  expect(localMidnight("2026-13-45x")).toBeNull();
});

it("keeps the filters in the address and reads them back", () => {
  const f = { type: "session.failed", user: "sam@demo.example", from: "2026-12-01", to: "" };
  const href = auditHref(f);
  expect(href).toBe("/admin/audit?type=session.failed&user=sam%40demo.example&from=2026-12-01");
  expect(filtersFromSearch(new URL(href, "http://x").searchParams)).toEqual(f);
  expect(auditHref(NO_FILTERS)).toBe("/admin/audit");
});

it("follows the CSV's next link and joins pages under one header", () => {
  expect(nextLink('</v1/admin/audit?limit=1000&cursor=abc>; rel="next"')).toBe("/v1/admin/audit?limit=1000&cursor=abc");
  expect(nextLink('<https://evil.example/x>; rel="next"')).toBeNull();
  // A scheme-relative or backslashed path is another origin to fetch(): the admin's token must not follow it.
  expect(nextLink('<//evil.example/v1/admin/audit?x>; rel="next"')).toBeNull();
  expect(nextLink('</\\evil.example/x>; rel="next"')).toBeNull();
  expect(nextLink('</v1/admin/users>; rel="next"')).toBeNull();
  expect(nextLink(null)).toBeNull();
  expect(withoutHeader("id,at\r\n1,2\r\n")).toBe("1,2\r\n");
});
