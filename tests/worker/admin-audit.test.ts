import { createExecutionContext, createScheduledController, waitOnExecutionContext } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import { auditRetentionDays, DEFAULT_AUDIT_RETENTION_DAYS, pruneAuditLog } from "../../worker/src/maintenance/audit-retention.js";
import worker from "../../worker/src/index.js";
import { call, callJson, seedAndSignIn, seedAudit } from "./helpers.js";

/** RFC 4180 parser for the test: quoted cells, doubled quotes, CRLF inside quotes. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = "";
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') (cell += '"'), i++;
      else if (ch === '"') quoted = false;
      else cell += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ",") row.push(cell), (cell = "");
    else if (ch === "\r" && text[i + 1] === "\n") row.push(cell), rows.push(row), (row = []), (cell = ""), i++;
    else cell += ch;
  }
  expect(cell).toBe("");
  return rows;
}

let token: string;
const BASE = Date.UTC(2020, 0, 1);
const window = `since=${new Date(BASE).toISOString()}&until=${new Date(BASE + 86_400_000).toISOString()}`;
const ALICE = "usr_alice_audit";
const BOB = "usr_bob_audit";

beforeAll(async () => {
  ({ token } = await seedAndSignIn({ roles: ["password_admin"] }));
  // 20 events in one day of 2020, one minute apart: even ones by Alice about Bob, odd ones by Bob.
  await seedAudit(
    Array.from({ length: 20 }, (_, i) => ({
      type: i % 4 === 0 ? "admin.user_updated" : "session.created",
      at: BASE + i * 60_000,
      actorId: i % 2 === 0 ? ALICE : BOB,
      subjectId: BOB,
      ip: "192.0.2.1",
      outcome: i === 5 ? ("failure" as const) : ("success" as const),
      detail: { i },
    })),
  );
});

const audit = (query: string, headers?: Record<string, string>) => callJson("GET", `/v1/admin/audit?${query}`, { token, headers });

describe("GET /v1/admin/audit", () => {
  it("walks every page newest first, none twice, none missing", async () => {
    const seen: number[] = [];
    let cursor: string | null = null;
    do {
      const { status, body } = await audit(`${window}&limit=3${cursor ? `&cursor=${cursor}` : ""}`);
      expect(status).toBe(200);
      seen.push(...body.events.map((e: any) => e.detail.i));
      cursor = body.nextCursor;
    } while (cursor);
    expect(seen).toEqual(Array.from({ length: 20 }, (_, i) => 19 - i));
  });

  it("returns AuditEvents in the contract's shape", async () => {
    const { status, body } = await audit(`${window}&limit=1`);
    expect(status).toBe(200);
    expect(body.events[0]).toEqual({
      id: expect.stringMatching(/^\d+$/),
      at: new Date(BASE + 19 * 60_000).toISOString(),
      type: "session.created",
      actorId: BOB,
      subjectId: BOB,
      ip: "192.0.2.1",
      outcome: "success",
      detail: { i: 19 },
    });
  });

  it("filters by type, by user as actor or subject, and by time (since inclusive, until exclusive)", async () => {
    const byType = await audit(`${window}&type=admin.user_updated`);
    expect(byType.status).toBe(200);
    expect(byType.body.events.map((e: any) => e.detail.i)).toEqual([16, 12, 8, 4, 0]);
    const alice = await audit(`${window}&userId=${ALICE}`);
    expect(alice.body.events).toHaveLength(10);
    const bob = await audit(`${window}&userId=${BOB}`);
    expect(bob.body.events).toHaveLength(20);
    const slice = await audit(`since=${new Date(BASE + 5 * 60_000).toISOString()}&until=${new Date(BASE + 8 * 60_000).toISOString()}`);
    expect(slice.body.events.map((e: any) => e.detail.i)).toEqual([7, 6, 5]);
  });

  it("exports the same page as CSV that parses back, with a Link to the next page", async () => {
    const res = await call("GET", `/v1/admin/audit?${window}&limit=4`, { token, headers: { accept: "text/csv" } });
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("text/csv; charset=utf-8");
    const rows = parseCsv(await res.text());
    expect(rows[0]).toEqual(["id", "at", "type", "actorId", "subjectId", "ip", "outcome", "detail"]);
    expect(rows.slice(1).map((r) => JSON.parse(r[7]!).i)).toEqual([19, 18, 17, 16]);
    expect(rows[1]!.slice(1, 7)).toEqual([new Date(BASE + 19 * 60_000).toISOString(), "session.created", BOB, BOB, "192.0.2.1", "success"]);
    const link = /^<([^>]+)>; rel="next"$/.exec(res.headers.get("link") ?? "");
    expect(link).not.toBeNull();
    const next = await call("GET", link![1]!, { token, headers: { accept: "text/csv" } });
    expect(next.status).toBe(200);
    expect(parseCsv(await next.text()).slice(1).map((r) => JSON.parse(r[7]!).i)).toEqual([15, 14, 13, 12]);
  });

  it("quotes commas, quotes and line breaks, and defuses cells a spreadsheet would run as formulas", async () => {
    const at = Date.UTC(2019, 5, 1);
    await seedAudit([
      { type: "admin.user_updated", at, actorId: "=HYPERLINK(\"http://evil.example\")", subjectId: "+1+1", ip: "-2+3", detail: { note: 'a, "b"\r\nc' } },
      { type: "admin.user_updated", at: at + 1, actorId: "@SUM(A1)", subjectId: "\tx", ip: "plain" },
    ]);
    const res = await call("GET", `/v1/admin/audit?since=${new Date(at).toISOString()}&until=${new Date(at + 10).toISOString()}`, { token, headers: { accept: "text/csv" } });
    expect(res.status).toBe(200);
    const rows = parseCsv(await res.text());
    expect(rows).toHaveLength(3);
    expect(rows[1]!.slice(3, 6)).toEqual(["'@SUM(A1)", "'\tx", "plain"]);
    expect(rows[2]!.slice(3, 6)).toEqual(["'=HYPERLINK(\"http://evil.example\")", "'+1+1", "'-2+3"]);
    expect(JSON.parse(rows[2]![7]!)).toEqual({ note: 'a, "b"\r\nc' });
  });

  it("gives JSON unless CSV is asked for", async () => {
    const res = await call("GET", `/v1/admin/audit?${window}&limit=1`, { token, headers: { accept: "application/json, */*" } });
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toMatch(/^application\/json/);
  });

  const varies = (res: Response) => (res.headers.get("vary") ?? "").split(",").map((v) => v.trim().toLowerCase());

  it.each([
    ["no Accept", undefined],
    ["*/*", "*/*"],
    ["CSV rated lower than JSON", "text/csv;q=0.1, application/json"],
    ["CSV and JSON rated equal", "text/csv, application/json"],
    ["CSV equal to a wildcard", "text/csv, */*"],
    ["CSV marked not acceptable", "text/csv;q=0"],
    ["CSV not acceptable beside a wildcard", "text/csv;q=0, */*;q=0.1"],
    ["only types the endpoint does not serve", "text/html, image/png"],
    ["JSON first, CSV lower, in any case", "Application/JSON, TEXT/CSV;q=0.9"],
  ])("answers JSON for %s, varying on Accept", async (_name, accept) => {
    const res = await call("GET", `/v1/admin/audit?${window}&limit=1`, { token, headers: accept === undefined ? {} : { accept } });
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toMatch(/^application\/json/);
    expect((await res.json<any>()).events).toHaveLength(1);
    expect(varies(res)).toContain("accept");
  });

  it.each([
    ["CSV alone", "text/csv"],
    ["CSV with parameters", "text/csv; charset=utf-8"],
    ["CSV rated above JSON", "application/json;q=0.5, text/csv"],
    ["CSV above a wildcard", "text/csv, */*;q=0.8"],
    ["JSON marked not acceptable", "application/json;q=0, text/csv;q=0.2"],
  ])("answers CSV for %s, varying on Accept", async (_name, accept) => {
    const res = await call("GET", `/v1/admin/audit?${window}&limit=1`, { token, headers: { accept } });
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("text/csv; charset=utf-8");
    expect(parseCsv(await res.text())).toHaveLength(2);
    expect(varies(res)).toContain("accept");
  });

  it.each([
    ["a since that is not ISO 8601", "since=yesterday"],
    ["a time without a zone", "since=2020-01-01T00:00:00"],
    ["until not after since", `since=${new Date(BASE).toISOString()}&until=${new Date(BASE).toISOString()}`],
    ["an unknown type", "type=made.up"],
    ["a cursor of another list", `cursor=${btoa("users:x").replace(/=+$/, "")}`],
  ])("answers %s with 400", async (_name, query) => {
    const { status, body } = await audit(query);
    expect(status).toBe(400);
    expect(body.error.code).toBe("invalid_request");
  });
});

describe("audit retention", () => {
  const YEAR_2000 = Date.UTC(2000, 0, 1);
  const DAY = 86_400_000;

  it("reads AUDIT_RETENTION_DAYS: whole days, 0 keeps forever, anything else the default", () => {
    expect(auditRetentionDays(undefined)).toBe(DEFAULT_AUDIT_RETENTION_DAYS);
    expect(DEFAULT_AUDIT_RETENTION_DAYS).toBe(365);
    expect(auditRetentionDays("30")).toBe(30);
    expect(auditRetentionDays("0")).toBeNull();
    expect(auditRetentionDays("-5")).toBe(365);
    expect(auditRetentionDays("1.5")).toBe(365);
    expect(auditRetentionDays("lots")).toBe(365);
  });

  it("prunes rows older than the retention, in chunks, and keeps the rest", async () => {
    // 12,000 rows on day 0 of 2000 (more than two chunks), 3 rows on day 40.
    await env.DB.prepare(
      `with recursive n(i) as (select 1 union all select i + 1 from n where i < 12000)
       insert into audit_events (at, type, outcome, detail) select ?, 'session.created', 'success', '{}' from n`,
    ).bind(YEAR_2000).run();
    await seedAudit([0, 1, 2].map((i) => ({ type: "session.created", at: YEAR_2000 + 40 * DAY + i })));
    const inRange = () => env.DB.prepare("select count(*) as n from audit_events where at < ?").bind(YEAR_2000 + 100 * DAY).first<{ n: number }>();
    expect((await inRange())!.n).toBe(12003);
    // Keeping 30 days on day 50: day 0 goes, day 40 stays.
    expect(await pruneAuditLog(env.DB, YEAR_2000 + 50 * DAY, 30)).toBe(12000);
    expect((await inRange())!.n).toBe(3);
    expect(await pruneAuditLog(env.DB, YEAR_2000 + 50 * DAY, null)).toBe(0);
    expect((await inRange())!.n).toBe(3);
  });

  it("runs from the cron trigger with the default of 365 days", async () => {
    await seedAudit([{ type: "session.created", at: Date.now() - 366 * DAY }, { type: "session.created", at: Date.now() - 364 * DAY }]);
    const ctx = createExecutionContext();
    await worker.scheduled!(createScheduledController({ scheduledTime: Date.now(), cron: "17 3 * * *" }), env, ctx);
    await waitOnExecutionContext(ctx);
    const left = await env.DB.prepare("select count(*) as n from audit_events where at < ?").bind(Date.now() - 365 * DAY).first<{ n: number }>();
    expect(left!.n).toBe(0);
    const kept = await env.DB.prepare("select count(*) as n from audit_events where at between ? and ?").bind(Date.now() - 365 * DAY, Date.now() - 363 * DAY).first<{ n: number }>();
    expect(kept!.n).toBe(1);
  });
});
