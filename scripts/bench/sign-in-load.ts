/**
 * Sign-in under load (issue 13): 1, 8 and 32 sign-ins in flight, each level for a bounded time, while a
 * probe sends `GET /v1/config` one at a time on its own connection. A hash runs on the isolate's one
 * thread, so the probe's latency shows how much a sign-in burst stalls everyone else on the isolate.
 * Also the memory of the workerd process around the runs, since every hash needs m KiB of wasm heap.
 */
import { readdirSync, readFileSync } from "node:fs";
import { Client, serverTiming } from "./http.js";
import type { Reply } from "./http.js";
import { BENCH_PASSWORD, clientIp, expectStatus } from "./fixtures.js";
import type { LoadResult } from "./load.js";
import { Recorder, runLoad, stats } from "./load.js";
import { mix } from "./report.js";

export interface SignInLevel {
  concurrency: number;
  signIns: number;
  signInsPerSecond: number;
  p50Ms: number | null;
  p95Ms: number | null;
  kdfMedianMs: number | null;
  statuses: Record<string, number>;
  count503: number;
  /** What the first 503 said, and who said it (a worker error is JSON in the contract's shape). */
  first503: string | null;
  /** `GET /v1/config`, one at a time during the same run. */
  config: LoadResult;
}

export interface SignInLoadFigures {
  configIdle: LoadResult;
  levels: SignInLevel[];
  /** Resident memory of the workerd process (MiB): before any sign-in, after 50 in a row, after the load. */
  workerdRssMiB: { before: number | null; after50: number | null; afterLoad: number | null };
}

const LEVELS = [1, 8, 32];
const PROBE_PAUSE_MS = 20;

/** workerd is a grandchild of this process (bench → wrangler → workerd); Linux only, else null. */
function workerdRssMiB(): number | null {
  try {
    const parentOf = new Map<number, { ppid: number; comm: string }>();
    for (const entry of readdirSync("/proc")) {
      if (!/^\d+$/.test(entry)) continue;
      try {
        const stat = readFileSync(`/proc/${entry}/stat`, "utf8");
        const comm = stat.slice(stat.indexOf("(") + 1, stat.lastIndexOf(")"));
        const ppid = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
        parentOf.set(Number(entry), { ppid, comm });
      } catch {
        // the process ended while we looked
      }
    }
    const descends = (pid: number): boolean => {
      for (let p = parentOf.get(pid)?.ppid; p; p = parentOf.get(p)?.ppid) if (p === process.pid) return true;
      return false;
    };
    const pid = [...parentOf].find(([pid, { comm }]) => comm === "workerd" && descends(pid))?.[0];
    if (pid === undefined) return null;
    const rssKiB = Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, "utf8"))?.[1]);
    return Number.isFinite(rssKiB) ? Math.round(rssKiB / 1024) : null;
  } catch {
    return null;
  }
}

/** `n` users with a password, made by an admin (one KDF run each), spread so no name nears its lockout. */
async function makeUsers(client: Client, adminToken: string, tag: string, n: number): Promise<string[]> {
  const usernames: string[] = [];
  for (let i = 0; i < n; i++) {
    const username = `bench-${tag}-signin${i}@bench.example`;
    const made = await client.json("POST", "/v1/admin/users", { token: adminToken, body: { username, displayName: "Bench Sign-in", password: BENCH_PASSWORD } });
    expectStatus(made, 201, `create ${username}`);
    usernames.push(username);
  }
  return usernames;
}

/** `GET /v1/config` one at a time until `until.done` (or `count` requests); a timeout counts as a network error. */
async function probeConfig(probe: Client, until: { done: boolean }, count?: number): Promise<LoadResult> {
  const recorder = new Recorder();
  for (let i = 0; count === undefined ? !until.done : i < count; i++) {
    try {
      recorder.record(await probe.call("GET", "/v1/config"));
    } catch {
      recorder.failed();
    }
    await new Promise((resolve) => setTimeout(resolve, PROBE_PAUSE_MS));
  }
  return recorder.result(1, null);
}

export async function benchSignInLoad(client: Client, o: { adminToken: string; tag: string; seconds: number; log: (line: string) => void }): Promise<SignInLoadFigures> {
  const maxLevel = Math.max(...LEVELS);
  const usernames = await makeUsers(client, o.adminToken, o.tag, maxLevel);
  const signIns = new Client(client.base, maxLevel);
  const probe = new Client(client.base, 1);
  try {
    const configIdle = await probeConfig(probe, { done: true }, 30);
    const rss = { before: workerdRssMiB(), after50: null as number | null, afterLoad: null as number | null };
    for (let i = 0; i < 50; i++) await signIns.call("POST", "/v1/sessions", { body: { username: usernames[i % usernames.length], password: BENCH_PASSWORD } });
    rss.after50 = workerdRssMiB();

    const levels: SignInLevel[] = [];
    let ip = 0x0a0000;
    for (const concurrency of LEVELS) {
      let first503: string | null = null;
      const kdf: number[] = [];
      const until = { done: false };
      const probing = probeConfig(probe, until);
      const result = await runLoad(signIns, {
        concurrency,
        durationMs: o.seconds * 1000,
        next: (i) => ({ method: "POST", path: "/v1/sessions", body: { username: usernames[i % usernames.length], password: BENCH_PASSWORD }, headers: { "cf-connecting-ip": clientIp(ip++) } }),
        onReply: (reply: Reply) => {
          if (reply.status === 503) first503 ??= `${reply.headers["content-type"] ?? "no content-type"}: ${reply.text.slice(0, 200).replace(/\s+/g, " ")}`;
          const t = serverTiming(reply.headers).kdfMs;
          if (reply.status === 201 && t !== null) kdf.push(t);
        },
      });
      until.done = true;
      const config = await probing;
      const signedIn = result.statuses["201"] ?? 0;
      levels.push({
        concurrency,
        signIns: signedIn,
        signInsPerSecond: signedIn / (result.elapsedMs / 1000),
        p50Ms: result.medianMs,
        p95Ms: result.p95Ms,
        kdfMedianMs: stats(kdf).medianMs,
        statuses: result.statuses,
        count503: Object.entries(result.statuses).filter(([k]) => k.startsWith("503")).reduce((n, [, v]) => n + v, 0),
        first503,
        config,
      });
      o.log(`  c=${concurrency}: ${mix(result.statuses)}; GET /v1/config: ${mix(config.statuses)}`);
    }
    rss.afterLoad = workerdRssMiB();
    return { configIdle, levels, workerdRssMiB: rss };
  } finally {
    signIns.close();
    probe.close();
  }
}
