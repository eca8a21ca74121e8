/** The audit log's filters as a person sets them: an event type, a username, and local calendar dates. */
export interface AuditFilters {
  type: string;
  user: string;
  /** yyyy-mm-dd, the first day shown (from its local midnight). */
  from: string;
  /** yyyy-mm-dd, the last day shown (up to the next local midnight). */
  to: string;
}

export const NO_FILTERS: AuditFilters = { type: "", user: "", from: "", to: "" };

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** Local midnight at the start of `date` plus `days`, as an ISO time; null for a date that is not one. */
export function localMidnight(date: string, days = 0): string | null {
  const m = DATE.exec(date);
  if (!m) return null;
  const d = new Date(Number(m[1]), Number(m[2]) - 1, Number(m[3]) + days);
  return Number.isNaN(d.getTime()) ? null : d.toISOString();
}

export type DateProblem = { field: "from" | "to"; message: string } | null;

/** The one thing wrong with the dates, if any: the API would refuse an empty or reversed window. */
export function dateProblem(f: Pick<AuditFilters, "from" | "to">): DateProblem {
  if (f.from && !localMidnight(f.from)) return { field: "from", message: "Enter a date." };
  if (f.to && !localMidnight(f.to)) return { field: "to", message: "Enter a date." };
  if (f.from && f.to && f.from > f.to) return { field: "to", message: "The last day must not be before the first." };
  return null;
}

/** The query of GET /v1/admin/audit for these filters; `userId` is the filter's username already looked up. */
export function auditSearch(f: AuditFilters, userId: string | null, cursor: string | null, limit: number): URLSearchParams {
  const params = new URLSearchParams({ limit: String(limit) });
  if (f.type) params.set("type", f.type);
  if (userId) params.set("userId", userId);
  const since = f.from ? localMidnight(f.from) : null;
  const until = f.to ? localMidnight(f.to, 1) : null;
  if (since) params.set("since", since);
  if (until) params.set("until", until);
  if (cursor) params.set("cursor", cursor);
  return params;
}

/** The filters kept in the console's address, so a reload or a shared link shows the same log. */
export function filtersFromSearch(search: URLSearchParams): AuditFilters {
  return { type: search.get("type") ?? "", user: search.get("user") ?? "", from: search.get("from") ?? "", to: search.get("to") ?? "" };
}

export function auditHref(f: AuditFilters): string {
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(f)) if (v) params.set(k, v);
  const query = params.toString();
  return `/admin/audit${query ? `?${query}` : ""}`;
}
