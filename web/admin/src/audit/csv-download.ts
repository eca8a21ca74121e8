import { type AuditFilters, auditSearch } from "./query.js";

/** The largest page the API gives; the file follows `Link: rel="next"` up to this many pages. */
const CSV_PAGE_SIZE = 1000;
export const MAX_CSV_PAGES = 100;

/** The `rel="next"` target of a Link header, if it is the audit log's own next page: the request carries the admin's token. */
export function nextLink(header: string | null): string | null {
  const m = header ? /<([^>]+)>\s*;\s*rel="?next"?/.exec(header) : null;
  return m && m[1]!.startsWith("/v1/admin/audit?") ? m[1]! : null;
}

/** Drops a later page's header row (the API's CSV rows end in CRLF; detail is JSON, so no cell holds a line break). */
export const withoutHeader = (csv: string) => csv.slice(csv.indexOf("\n") + 1);

export interface CsvFile {
  text: string;
  rows: number;
  /** More events matched than the file holds. */
  truncated: boolean;
}

/** The filtered log as one CSV text, from GET /v1/admin/audit with `Accept: text/csv`, page after page. */
export async function fetchAuditCsv(token: string, filters: AuditFilters, userId: string | null, signal?: AbortSignal): Promise<CsvFile> {
  let path: string | null = `/v1/admin/audit?${auditSearch(filters, userId, null, CSV_PAGE_SIZE)}`;
  let text = "";
  let pages = 0;
  while (path && pages < MAX_CSV_PAGES) {
    const res: Response = await fetch(path, { headers: { Accept: "text/csv", Authorization: `Bearer ${token}` }, signal: signal ?? null });
    if (!res.ok) throw new Error(res.status === 401 ? "Your session ended. Sign in again." : "The file could not be made. Try again.");
    const page = await res.text();
    text += pages === 0 ? page : withoutHeader(page);
    pages++;
    path = nextLink(res.headers.get("Link"));
  }
  const lines = text.split("\r\n").filter((l) => l !== "");
  return { text, rows: Math.max(0, lines.length - 1), truncated: path !== null };
}

/** Hands the text to the browser as a file download (a blob: address, which the CSP's script rules do not touch). */
export function saveFile(name: string, text: string, type = "text/csv;charset=utf-8"): void {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const a = document.createElement("a");
  a.href = url;
  a.download = name;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
