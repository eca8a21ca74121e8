/**
 * Issue 13 item 5: the admin reads and a reset start against directories of growing size. For each
 * size a fresh worker: migrations, the demo seed, then the synthetic directory (directory-seed.ts)
 * loaded straight into its local D1 before `wrangler dev` starts. Every request is paired with a
 * `GET /v1/config` (one at a time, alternating), so the ratio survives a noisy machine.
 */
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import { join } from "node:path";
import { startWorker } from "../worker.js";
import { freePort } from "../ports.js";
import { wranglerRun } from "../wrangler.js";
import { loadIntoLocalD1 } from "./directory-load.js";
import { DIRECTORY_QUERIES, directorySeedSql } from "./directory-seed.js";
import { clientIp, demoAdmin, signIn } from "./fixtures.js";
import type { Reply } from "./http.js";
import { Client } from "./http.js";
import type { LoadRequest, LoadResult } from "./load.js";
import { runPaired } from "./load.js";
import { ms, ratio, table } from "./report.js";

export const DIRECTORY_TARGET_RATIO = 3;

export interface DirectoryRow {
  key: string;
  label: string;
  endpoint: LoadResult;
  baseline: LoadResult;
  ratio: number | null;
}

export interface DirectorySizeFigures {
  size: number;
  users: number;
  methods: number;
  auditRows: number;
  generateMs: number;
  loadMs: number;
  rows: DirectoryRow[];
  problems: string[];
}

interface Probe {
  key: string;
  label: string;
  /** The i-th request; null ends the run early (a finite supply). */
  next: (i: number) => LoadRequest | null;
  onReply?: (reply: Reply, i: number) => void;
}

const iso = (ms: number) => new Date(ms).toISOString();
const qs = (params: Record<string, string | number>) => new URLSearchParams(Object.entries(params).map(([k, v]): [string, string] => [k, String(v)])).toString();

/** Sizes from BENCH_DIRECTORY_SIZES ("1000,10000,100000" by default; "0" or "none" skips item 5). */
export function directorySizes(value: string | undefined): number[] {
  if (value === undefined || value.trim() === "") return [1_000, 10_000, 100_000];
  return value
    .split(",")
    .map((s) => Number(s.trim()))
    .filter((n) => Number.isInteger(n) && n > 0);
}

export async function benchDirectorySize(size: number, o: { pairs: number; setupToken: string; log: (line: string) => void }): Promise<DirectorySizeFigures> {
  const stateDir = mkdtempSync(join(os.tmpdir(), `opensspr-bench-dir${size}-`));
  const problems: string[] = [];
  let worker: { url: string; stop: () => Promise<void> } | null = null;
  try {
    await wranglerRun(["d1", "migrations", "apply", "DB", "--local", "--persist-to", stateDir]);
    const now = Date.now();
    let t = performance.now();
    const seed = directorySeedSql(size, now);
    const generateMs = performance.now() - t;
    t = performance.now();
    await loadIntoLocalD1(stateDir, seed.chunks);
    const loadMs = performance.now() - t;
    o.log(`  ${size} users: ${seed.methods} methods, ${seed.auditRows} audit rows; SQL made in ${(generateMs / 1000).toFixed(1)} s, loaded in ${(loadMs / 1000).toFixed(1)} s`);

    const port = await freePort();
    worker = await startWorker({ port, stateDir, seed: "demo", setupToken: o.setupToken, vars: {}, log: () => {} });
    const client = new Client(worker.url, 4);
    try {
      const token = await signIn(client, demoAdmin.username, demoAdmin.password);
      const admin = (path: string, headers: Record<string, string> = {}): LoadRequest => ({ method: "GET", path, token, headers });
      const config = (): LoadRequest => ({ method: "GET", path: "/v1/config" });
      const probes: Probe[] = [];
      const list = (key: string, label: string, params: Record<string, string | number>) =>
        probes.push({ key, label, next: () => admin(`/v1/admin/users?${qs(params)}`) });
      list("users.q-few", `users ?q=${DIRECTORY_QUERIES.fewSubstring} (few match)`, { q: DIRECTORY_QUERIES.fewSubstring });
      list("users.q-many", `users ?q=${DIRECTORY_QUERIES.manySubstring} (many match)`, { q: DIRECTORY_QUERIES.manySubstring });
      list("users.q-short", `users ?q=${DIRECTORY_QUERIES.shortSubstring} (2 characters)`, { q: DIRECTORY_QUERIES.shortSubstring });
      list("users.group", `users ?group=${DIRECTORY_QUERIES.group}`, { group: DIRECTORY_QUERIES.group });
      list("users.role", `users ?role=${DIRECTORY_QUERIES.role} (few)`, { role: DIRECTORY_QUERIES.role });
      list("users.unregistered", "users ?registration=unregistered (about 20%)", { registration: "unregistered" });
      list("users.registered-q", `users ?registration=registered&q=${DIRECTORY_QUERIES.manySubstring}`, { registration: "registered", q: DIRECTORY_QUERIES.manySubstring });
      // The second page: the cursor the first page gave out.
      const first = await client.json("GET", `/v1/admin/users?${qs({ q: DIRECTORY_QUERIES.manySubstring })}`, { token });
      const cursor = (first.body as { nextCursor?: string | null } | null)?.nextCursor;
      if (cursor) list("users.page2", `users ?q=${DIRECTORY_QUERIES.manySubstring}, 2nd page (cursor)`, { q: DIRECTORY_QUERIES.manySubstring, cursor });
      else problems.push(`users ?q=${DIRECTORY_QUERIES.manySubstring}: no second page (${first.status})`);
      probes.push({ key: "reports.registration", label: "reports/registration", next: () => admin("/v1/admin/reports/registration") });
      probes.push({ key: "reports.resets", label: "reports/resets over the year", next: () => admin(`/v1/admin/reports/resets?${qs({ since: iso(seed.since), until: iso(seed.until) })}`) });
      const month = { since: iso(seed.until - 60 * 86_400_000), until: iso(seed.until - 30 * 86_400_000) };
      probes.push({ key: "audit.type", label: "audit ?type=reset.completed", next: () => admin(`/v1/admin/audit?${qs({ type: "reset.completed" })}`) });
      probes.push({ key: "audit.user", label: "audit ?userId=…", next: () => admin(`/v1/admin/audit?${qs({ userId: DIRECTORY_QUERIES.auditUserId })}`) });
      probes.push({ key: "audit.window", label: "audit ?since=&until= (a month)", next: () => admin(`/v1/admin/audit?${qs(month)}`) });
      probes.push({
        key: "audit.all-filters",
        label: "audit ?type=&userId=&since=&until=",
        next: () => admin(`/v1/admin/audit?${qs({ type: "session.created", userId: DIRECTORY_QUERIES.auditUserId, since: iso(seed.since), until: iso(seed.until) })}`),
      });
      probes.push({ key: "audit.csv", label: "audit CSV ?type=&since=&until=", next: () => admin(`/v1/admin/audit?${qs({ type: "session.created", ...month })}`, { accept: "text/csv" }) });
      // Registered users with an email method, each started once, each from its own address (per-IP limit).
      const resettable = [...seed.resettable];
      probes.push({
        key: "resets.start",
        label: "POST /v1/resets (known user)",
        next: (i) => {
          const username = resettable.shift();
          return username ? { method: "POST", path: "/v1/resets", body: { username }, headers: { "cf-connecting-ip": clientIp(size + i + 1) } } : null;
        },
      });

      // Warm-up (not measured): JIT, statement caches, the page cache of the state file.
      for (const p of probes) await runPaired(client, 2, config, p);
      const rows: DirectoryRow[] = [];
      for (const p of probes) {
        const { endpoint, baseline } = await runPaired(client, o.pairs, config, p);
        const bad = Object.keys(endpoint.statuses).filter((s) => !s.startsWith("2"));
        if (bad.length) problems.push(`${size} users, ${p.label}: ${bad.map((s) => `${s}×${endpoint.statuses[s]}`).join(", ")}`);
        rows.push({ key: p.key, label: p.label, endpoint, baseline, ratio: endpoint.medianMs !== null && baseline.medianMs ? endpoint.medianMs / baseline.medianMs : null });
      }
      return { size, users: seed.users, methods: seed.methods, auditRows: seed.auditRows, generateMs, loadMs, rows, problems };
    } finally {
      client.close();
    }
  } finally {
    await worker?.stop();
    rmSync(stateDir, { recursive: true, force: true });
  }
}

/** Rows: the probes; columns: median ms and ratio to GET /v1/config at each size. */
export function directoryTable(figures: DirectorySizeFigures[]): string {
  const labels = figures[0]?.rows.map((r) => [r.key, r.label] as const) ?? [];
  const headers = ["", ...figures.flatMap((f) => [`${f.size / 1000}k ms`, "config", "ratio"])];
  const rows = labels.map(([key, label]) => [
    label,
    ...figures.flatMap((f) => {
      const r = f.rows.find((x) => x.key === key);
      const over = r?.ratio != null && r.ratio > DIRECTORY_TARGET_RATIO ? " !" : "";
      return [ms(r?.endpoint.medianMs), ms(r?.baseline.medianMs), `${ratio(r?.ratio)}${over}`];
    }),
  ]);
  return table(headers, rows, ["left", ...figures.flatMap(() => ["right", "right", "right"] as const)]);
}

if (process.argv[1]?.endsWith("directory-size.ts")) {
  const figures: DirectorySizeFigures[] = [];
  for (const size of directorySizes(process.env.BENCH_DIRECTORY_SIZES)) {
    figures.push(await benchDirectorySize(size, { pairs: Number(process.env.BENCH_DIRECTORY_PAIRS ?? 20), setupToken: "bench-setup-token", log: console.log }));
  }
  console.log(directoryTable(figures));
  for (const f of figures) for (const p of f.problems) console.log(`  - ${p}`);
  process.exit(0);
}
