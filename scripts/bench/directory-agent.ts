/**
 * Issue 12 item 5: directory users with the agent connected to a real OpenLDAP. Its own worker (fresh
 * state, demo seed), its own slapd (tests/directory/support/slapd.ts, with `bulk` users loaded by
 * slapadd) and the agent process (tests/directory/support/agent-process.ts), enrolled through the admin
 * API as the demo admin. Measures
 *   - the sync: agent start until ready (enrolment and the first full sync, every user new), then
 *     `POST /v1/admin/directory/sync` until `GET /v1/admin/directory` shows it finished; the agent's
 *     LDAP read alone, timed with the agent's own read code in this process;
 *   - bind-based sign-in (`POST /v1/sessions`) beside a native one;
 *   - reset completion (`POST /v1/resets/{id}/password`) beside a native one: one verified reset per
 *     user, each from its own client address (the per-client code limit), codes from the dev outbox.
 * Directory and native requests alternate, one at a time, so the machine's noise falls on both.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import { join } from "node:path";
import { freePort } from "../ports.js";
import { startWorker } from "../worker.js";
import { DEMO_ACCOUNTS } from "../seed-demo.js";
import { nextCode } from "../../tests/e2e/support/api.js";
import { clientIp, demoAdmin, expectStatus, FixtureError, importUsers, signIn } from "./fixtures.js";
import type { Reply } from "./http.js";
import { Client, outcomeOf, serverTiming } from "./http.js";
import type { Stats } from "./load.js";
import { stats } from "./load.js";
import { ms, mix, table } from "./report.js";

export const DIRECTORY_RESET_TARGET_MS = 1500;

/** What ran, for the report: one latency series beside the agent's own time per job (its log). */
export interface Series {
  latency: Stats;
  /** Server-Timing `kdf` (native users: the hash of the new password or the check at sign-in). */
  kdf: Stats;
  /** The agent's `job …: ok (N ms)` lines for these requests: unsealing and the LDAP work. */
  agentJob: Stats | null;
  outcomes: Record<string, number>;
}

export interface SyncRun {
  label: string;
  /** As the admin sees it: from the trigger until GET /v1/admin/directory shows the finished sync. */
  totalMs: number;
  users: number;
  groups: number;
  errors: string[];
  /** The agent's own `sync: … (N ms)` line: its LDAP read plus posting every page. */
  agentSyncMs: number | null;
  pages: number | null;
}

export interface DirectoryAgentFigures {
  bulkUsers: number;
  slapdVersion: string | null;
  setup: { slapdMs: number; workerMs: number; nativeUsersMs: number };
  sync: SyncRun[];
  /** The agent's read code (groups, then users with their memberships) against the same slapd, in this process. */
  ldapRead: Stats;
  ldapReadUsers: number;
  signIn: { directory: Series; native: Series };
  reset: { directory: Series; native: Series };
  problems: string[];
}

export type DirectoryAgentOutcome = { figures: DirectoryAgentFigures } | { skipped: string };

/** BENCH_DIRECTORY_AGENT: unset = 10,000 bulk users; "none" or "0" skips the section; a number sets the bulk size. */
export function directoryAgentUsers(value: string | undefined): number | null {
  if (value === undefined || value.trim() === "") return 10_000;
  const n = Number(value.trim());
  return Number.isInteger(n) && n > 0 ? n : null;
}

/** The harness runs slapd and slapadd from PATH (Debian: /usr/sbin). */
export function missingLdapTools(): string | null {
  const missing = ["slapd", "slapadd"].filter((tool) => spawnSync("sh", ["-c", `command -v ${tool}`]).status !== 0);
  return missing.length ? `${missing.join(" and ")} not installed (Debian: apt-get install slapd ldap-utils)` : null;
}

function slapdVersion(): string | null {
  const out = spawnSync("sh", ["-c", "slapd -VV 2>&1"], { encoding: "utf8" }).stdout ?? "";
  return /slapd ([\d.]+)/.exec(out)?.[1] ?? null;
}

/** `2026-12-06T23:41:07.123Z job bind: ok (3 ms)` lines of the agent since `sinceMs`, for one job kind. */
export function agentJobTimes(output: string, kind: string, sinceMs: number): number[] {
  const times: number[] = [];
  const line = new RegExp(`^(\\S+) job ${kind.replace("/", "\\/")}: ok \\((\\d+) ms\\)$`, "gm");
  for (const match of output.matchAll(line)) if (Date.parse(match[1]!) >= sinceMs) times.push(Number(match[2]));
  return times;
}

/** The agent's `sync: N users, G groups in P pages, … (T ms)` lines since `sinceMs`, oldest first. */
export function agentSyncLines(output: string, sinceMs: number): { users: number; pages: number; ms: number }[] {
  const found: { users: number; pages: number; ms: number }[] = [];
  const line = /^(\S+) sync: (\d+) users, \d+ groups in (\d+) pages, .*\((\d+) ms\)$/gm;
  for (const match of output.matchAll(line)) {
    if (Date.parse(match[1]!) >= sinceMs) found.push({ users: Number(match[2]), pages: Number(match[3]), ms: Number(match[4]) });
  }
  return found;
}

interface DirectoryStatus {
  agents: { id: string; connected: boolean }[];
  lastSync: { at: string; users: number; groups: number; errors: string[] } | null;
}

class SeriesRecorder {
  readonly latencies: number[] = [];
  readonly kdf: number[] = [];
  readonly outcomes: Record<string, number> = {};

  record(reply: Reply, expected: number): void {
    const outcome = outcomeOf(reply);
    this.outcomes[outcome] = (this.outcomes[outcome] ?? 0) + 1;
    if (reply.status !== expected) return;
    this.latencies.push(reply.ms);
    const kdf = serverTiming(reply.headers).kdfMs;
    if (kdf !== null) this.kdf.push(kdf);
  }

  series(agentJob: number[] | null): Series {
    return { latency: stats(this.latencies), kdf: stats(this.kdf), agentJob: agentJob ? stats(agentJob) : null, outcomes: this.outcomes };
  }
}

/** A reset started, challenged by email and verified, from client address `ip`: ready for its new password. */
async function verifiedReset(client: Client, username: string, email: string, ip: string): Promise<{ id: string; token: string }> {
  const headers = { "cf-connecting-ip": ip };
  const started = await client.json("POST", "/v1/resets", { body: { username }, headers });
  expectStatus(started, 201, `start a reset for ${username}`);
  const { resetId, resetToken } = started.body as { resetId: string; resetToken: string };
  const method = (started.body.methods as { id: string; type: string }[]).find((m) => m.type === "email");
  if (!method) throw new FixtureError(`reset for ${username}: no email method`);
  const challenged = await client.json("POST", `/v1/resets/${resetId}/challenges`, { token: resetToken, body: { methodId: method.id }, headers });
  expectStatus(challenged, 202, `email challenge for ${username}`);
  const code = await nextCode(client.base, email, new Set());
  const verified = await client.json("POST", `/v1/resets/${resetId}/verify`, { token: resetToken, body: { methodId: method.id, code }, headers });
  expectStatus(verified, 200, `verify the reset for ${username}`);
  return { id: resetId, token: resetToken };
}

export async function benchDirectoryAgent(o: { bulkUsers: number; samples: number; setupToken: string; tag: string; log: (line: string) => void }): Promise<DirectoryAgentFigures> {
  // Loaded here, not at the top: the harness installs exit and signal handlers that kill its daemons,
  // which only this section should carry.
  const { startSlapd } = await import("../../tests/directory/support/slapd.js");
  const { startAgent } = await import("../../tests/directory/support/agent-process.js");
  const { ServiceConnection, tlsOptionsFor } = await import("../../agent/src/ldap/connection.js");
  const { readDirectory } = await import("../../agent/src/ldap/read-directory.js");
  const { parseAgentConfig } = await import("../../agent/src/config.js");

  const problems: string[] = [];
  const stateDir = mkdtempSync(join(os.tmpdir(), "opensspr-bench-agent-"));
  const stops: (() => Promise<void>)[] = [];
  let t = performance.now();
  try {
    const slapd = await startSlapd({ bulkUsers: o.bulkUsers });
    stops.push(() => slapd.stop());
    const slapdMs = performance.now() - t;
    o.log(`  slapd with ${o.bulkUsers} bulk users ready in ${(slapdMs / 1000).toFixed(1)} s`);

    t = performance.now();
    const worker = await startWorker({ port: await freePort(), stateDir, seed: "demo", setupToken: o.setupToken, vars: {}, log: () => {} });
    stops.push(() => worker.stop());
    const workerMs = performance.now() - t;
    const client = new Client(worker.url, 4);
    stops.push(async () => client.close());
    const adminToken = await signIn(client, demoAdmin.username, demoAdmin.password);
    const status = async () => {
      const reply = await client.json<DirectoryStatus>("GET", "/v1/admin/directory", { token: adminToken });
      expectStatus(reply, 200, "GET /v1/admin/directory");
      return reply.body;
    };

    // --- sync: agent start (enrolment + first full sync, all users new), then one on demand (all known)
    const created = await client.json("POST", "/v1/admin/directory/agents", { token: adminToken, body: { name: "bench" } });
    expectStatus(created, 201, "create the agent");
    const ldap = slapd.agentSettings({ alternateEmailAttribute: "mail" });
    const expectedUsers = o.bulkUsers + slapd.users.length;
    const sync: SyncRun[] = [];
    let since = Date.now();
    t = performance.now();
    const agent = await startAgent({ workerUrl: worker.url, enrollmentToken: created.body.enrollmentToken, ldap });
    stops.unshift(() => agent.stop());
    const first = (await status()).lastSync;
    const firstLine = agentSyncLines(agent.daemon.output(), since)[0];
    sync.push({
      label: "agent start → ready (enrolment, first sync: all users new)",
      totalMs: performance.now() - t,
      users: first?.users ?? 0,
      groups: first?.groups ?? 0,
      errors: first?.errors ?? [],
      agentSyncMs: firstLine?.ms ?? null,
      pages: firstLine?.pages ?? null,
    });
    o.log(`  agent ready after ${(sync[0]!.totalMs / 1000).toFixed(1)} s: ${first?.users ?? 0} users synced`);

    const before = first?.at ?? "";
    since = Date.now();
    t = performance.now();
    const asked = await client.json("POST", "/v1/admin/directory/sync", { token: adminToken });
    expectStatus(asked, 202, "POST /v1/admin/directory/sync");
    let last: DirectoryStatus["lastSync"] = null;
    for (const deadline = Date.now() + 60_000; ; ) {
      last = (await status()).lastSync;
      if (last && last.at > before && last.users >= expectedUsers) break;
      if (Date.now() > deadline) throw new FixtureError(`no sync of ${expectedUsers} users finished within 60 s of POST /v1/admin/directory/sync`);
      await new Promise((r) => setTimeout(r, 25));
    }
    const demandMs = performance.now() - t;
    // The agent logs its line after its last page's answer, so it may trail the status by a moment.
    await new Promise((r) => setTimeout(r, 200));
    const demandLine = agentSyncLines(agent.daemon.output(), since)[0];
    sync.push({ label: "POST /v1/admin/directory/sync → GET shows it finished (all users known)", totalMs: demandMs, users: last.users, groups: last.groups, errors: last.errors, agentSyncMs: demandLine?.ms ?? null, pages: demandLine?.pages ?? null });
    o.log(`  on-demand sync of ${last.users} users in ${(demandMs / 1000).toFixed(1)} s`);
    for (const run of sync) {
      if (run.users < expectedUsers) problems.push(`${run.label}: ${run.users} users synced, expected ${expectedUsers}`);
      if (run.errors.length) problems.push(`${run.label}: ${run.errors.length} sync errors (first: ${run.errors[0]})`);
    }

    const config = parseAgentConfig({ workerUrl: worker.url, stateDir, ldap });
    const readTimes: number[] = [];
    let ldapReadUsers = 0;
    for (let i = 0; i < 3; i++) {
      const connection = new ServiceConnection(config.ldap, tlsOptionsFor(config.ldap));
      try {
        t = performance.now();
        ldapReadUsers = (await readDirectory(config.ldap, connection)).users.length;
        readTimes.push(performance.now() - t);
      } finally {
        await connection.close();
      }
    }

    // --- sign-in: bulk users from the end (the resets take them from the start), demo accounts natively
    const password = slapd.bulkUsers[0]?.password ?? "";
    const signInUser = (i: number) => slapd.bulkUsers.at(-1 - (i % slapd.bulkUsers.length))!;
    const signInOnce = (username: string, pw: string, ip: number) => client.json("POST", "/v1/sessions", { body: { username, password: pw }, headers: { "cf-connecting-ip": clientIp(ip) } });
    // One of each first, not counted: the agent's job connection and the worker's isolate warm up.
    await signInOnce(signInUser(o.samples).mail, password, 0x0c0000);
    await signInOnce(DEMO_ACCOUNTS[0]!.username, DEMO_ACCOUNTS[0]!.password, 0x0c0001);
    const directorySignIn = new SeriesRecorder();
    const nativeSignIn = new SeriesRecorder();
    since = Date.now();
    for (let i = 0; i < o.samples; i++) {
      directorySignIn.record(await signInOnce(signInUser(i).mail, password, 0x0c0100 + i), 201);
      const account = DEMO_ACCOUNTS[i % DEMO_ACCOUNTS.length]!;
      nativeSignIn.record(await signInOnce(account.username, account.password, 0x0c0200 + i), 201);
    }
    const bindJobs = agentJobTimes(agent.daemon.output(), "bind", since);
    o.log(`  sign-ins: directory ${mix(directorySignIn.outcomes)}; native ${mix(nativeSignIn.outcomes)}`);

    // --- reset completion: one verified reset per user, directory (bulk users) and native (imported) alternating
    t = performance.now();
    const native = await importUsers(client, adminToken, `${o.tag}-agent`, o.samples);
    const nativeUsersMs = performance.now() - t;
    const directoryReset = new SeriesRecorder();
    const nativeReset = new SeriesRecorder();
    since = Date.now();
    for (let i = 0; i < o.samples; i++) {
      const bulk = slapd.bulkUsers[i];
      if (bulk) {
        const ip = clientIp(0x0d0000 + i);
        const reset = await verifiedReset(client, bulk.mail, bulk.mail, ip);
        directoryReset.record(await client.json("POST", `/v1/resets/${reset.id}/password`, { token: reset.token, body: { newPassword: `Orchid-Tundra-${i}-Piston#28` }, headers: { "cf-connecting-ip": ip } }), 200);
      }
      const username = native.usernames[i];
      if (username) {
        const ip = clientIp(0x0e0000 + i);
        const reset = await verifiedReset(client, username, username, ip);
        nativeReset.record(await client.json("POST", `/v1/resets/${reset.id}/password`, { token: reset.token, body: { newPassword: `Orchid-Tundra-${i}-Piston#28` }, headers: { "cf-connecting-ip": ip } }), 200);
      }
    }
    const setJobs = agentJobTimes(agent.daemon.output(), "set_password/reset", since);
    o.log(`  resets: directory ${mix(directoryReset.outcomes)}; native ${mix(nativeReset.outcomes)}`);

    const figures: DirectoryAgentFigures = {
      bulkUsers: o.bulkUsers,
      slapdVersion: slapdVersion(),
      setup: { slapdMs, workerMs, nativeUsersMs },
      sync,
      ldapRead: stats(readTimes),
      ldapReadUsers,
      signIn: { directory: directorySignIn.series(bindJobs), native: nativeSignIn.series(null) },
      reset: { directory: directoryReset.series(setJobs), native: nativeReset.series(null) },
      problems,
    };
    for (const [label, series] of [
      ["directory sign-in", figures.signIn.directory],
      ["native sign-in", figures.signIn.native],
      ["directory reset", figures.reset.directory],
      ["native reset", figures.reset.native],
    ] as const) {
      if (series.latency.n < o.samples) problems.push(`${label}: ${series.latency.n} of ${o.samples} succeeded (${mix(series.outcomes)})`);
    }
    if (bindJobs.length !== figures.signIn.directory.latency.n) problems.push(`directory sign-in: ${bindJobs.length} bind jobs in the agent's log for ${figures.signIn.directory.latency.n} sign-ins`);
    if (setJobs.length !== figures.reset.directory.latency.n) problems.push(`directory reset: ${setJobs.length} password jobs in the agent's log for ${figures.reset.directory.latency.n} resets`);
    const median = figures.reset.directory.latency.medianMs;
    if (median !== null && median > DIRECTORY_RESET_TARGET_MS) problems.push(`directory reset: median ${median.toFixed(0)} ms, over the ${DIRECTORY_RESET_TARGET_MS} ms target`);
    return figures;
  } finally {
    for (const stop of stops.reverse()) await stop().catch(() => {});
    rmSync(stateDir, { recursive: true, force: true });
  }
}

/** The two tables of the report. */
export function directoryAgentTables(f: DirectoryAgentFigures): string[] {
  const row = (label: string, s: Series) => [
    label,
    String(s.latency.n),
    ms(s.latency.medianMs),
    ms(s.latency.p95Ms),
    ms(s.latency.minMs),
    ms(s.latency.maxMs),
    s.kdf.n ? ms(s.kdf.medianMs, 0) : "—",
    s.agentJob ? ms(s.agentJob.medianMs, 0) : "—",
  ];
  const requests = table(
    ["request (one at a time)", "n", "median ms", "p95 ms", "min ms", "max ms", "kdf ms", "agent job ms"],
    [
      row("POST /v1/resets/{id}/password, directory user", f.reset.directory),
      row("POST /v1/resets/{id}/password, native user", f.reset.native),
      row("POST /v1/sessions, directory user (bind)", f.signIn.directory),
      row("POST /v1/sessions, native user", f.signIn.native),
    ],
    ["left", "right", "right", "right", "right", "right", "right", "right"],
  );
  const seconds = (value: number | null) => (value === null ? "—" : (value / 1000).toFixed(2));
  const read = f.ldapRead.medianMs;
  const syncs = table(
    ["sync", "users", "total s", "agent's sync s", "LDAP read s", "upload + ingest s", "pages"],
    f.sync.map((s) => [s.label, String(s.users), seconds(s.totalMs), seconds(s.agentSyncMs), seconds(read), s.agentSyncMs !== null && read !== null ? seconds(s.agentSyncMs - read) : "—", s.pages === null ? "—" : String(s.pages)]),
    ["left", "right", "right", "right", "right", "right", "right"],
  );
  return [requests, syncs];
}
