/**
 * Latency and throughput of the reset flow against the bare-route baseline, in one run. Each endpoint
 * is measured twice, each time beside its own baseline sample so drift and other work on the machine
 * cancel out of the ratio:
 *   idle   — one request at a time, alternating baseline and endpoint requests (the latency a lone user sees);
 *   loaded — `concurrency` requests in flight for a bounded time (p99, requests/s), in slices
 *            alternating with baseline slices of half that length.
 * The states are chained the way a client makes them: the known-user 201s of POST /v1/resets feed
 * the challenges, and the challenged resets feed the wrong-code verifies.
 */
import type { Reply } from "./http.js";
import type { Client } from "./http.js";
import type { LoadRequest, LoadResult, LoadSpec } from "./load.js";
import { runAlternating, runLoad, runPaired } from "./load.js";
import type { StartedReset, TotpUser } from "./fixtures.js";
import { clientIp, startReset, startedReset } from "./fixtures.js";

export interface EndpointFigures {
  key: string;
  label: string;
  /** What state the requests hit, and so which code path was measured. */
  note: string;
  /** Counts towards the spec's "within 1.5× of the baseline" target. */
  target: boolean;
  idle: LoadResult | null;
  /** The baseline requests interleaved with the idle run. */
  baselineIdle: LoadResult | null;
  loaded: LoadResult | null;
  /** The baseline run just before the loaded run. */
  baselineLoaded: LoadResult | null;
  ratioIdle: number | null;
  ratioLoaded: number | null;
  /** GET /v1/config taking turns with the endpoint in the idle run (A B C A B C …), and the endpoint's median over its median. */
  configIdle: LoadResult | null;
  ratioToConfigIdle: number | null;
  skipped?: string;
}

export interface LoadOptions {
  concurrency: number;
  seconds: number;
  idleRequests: number;
  tag: string;
  knownUsers: string[];
  totpUsers: TotpUser[];
  log: (line: string) => void;
}

const WRONG_CODE = "00000000";
/** Wrong codes a user can be given before the one that blocks (policy lockout.resetFailuresToBlock 5, minus one). */
const FAILURES_BEFORE_BLOCK = 4;
/** Loaded runs alternate baseline and endpoint in this many slices each. */
const SLICES = 5;
/** Resets to have in hand for the challenge runs (one per email challenge). */
const RESET_SUPPLY = 450;

type Spec = Pick<LoadSpec, "next" | "onReply">;

const ratioOf = (r: LoadResult | null, base: LoadResult | null) => (r?.medianMs != null && base?.medianMs ? r.medianMs / base.medianMs : null);

export async function benchWorkerLoad(client: Client, o: LoadOptions): Promise<EndpointFigures[]> {
  let ipCounter = 1;
  const nextIp = () => clientIp(ipCounter++);
  let unknownCounter = 0;
  const unknownName = () => `nobody-${o.tag}-${unknownCounter++}@bench.example`;
  const figures: EndpointFigures[] = [];
  const baselineRequest = (): LoadRequest => ({ method: "GET", path: "/v1/dev/baseline" });
  const configRequest = (): LoadRequest => ({ method: "GET", path: "/v1/config" });
  const loadedMs = o.seconds * 1000;

  /** Measures one endpoint: paired idle run, then a baseline run and the loaded run. `spec` is called once per run. */
  const measure = async (f: { key: string; label: string; note: string; target?: boolean; spec: () => Spec; loadedMs?: number }) => {
    const paired = await runPaired(client, o.idleRequests, baselineRequest, f.spec(), configRequest);
    const { endpoint: loaded, baseline: baselineLoaded } = await runAlternating(client, {
      concurrency: o.concurrency,
      endpointMs: f.loadedMs ?? loadedMs,
      baselineMs: (f.loadedMs ?? loadedMs) / 2,
      slices: SLICES,
      baseline: baselineRequest,
      spec: f.spec(),
    });
    figures.push({
      key: f.key,
      label: f.label,
      note: f.note,
      target: f.target ?? true,
      idle: paired.endpoint,
      baselineIdle: paired.baseline,
      loaded,
      baselineLoaded,
      ratioIdle: ratioOf(paired.endpoint, paired.baseline),
      ratioLoaded: ratioOf(loaded, baselineLoaded),
      configIdle: paired.beside,
      ratioToConfigIdle: ratioOf(paired.endpoint, paired.beside),
    });
  };
  const skip = (key: string, label: string, why: string) =>
    figures.push({ key, label, note: "", target: true, idle: null, baselineIdle: null, loaded: null, baselineLoaded: null, ratioIdle: null, ratioLoaded: null, configIdle: null, ratioToConfigIdle: null, skipped: why });

  // Warm-up (not measured): JIT, D1 statement caches, keep-alive sockets.
  await runLoad(client, { concurrency: o.concurrency, durationMs: 2_000, next: baselineRequest });
  await runLoad(client, { concurrency: 2, durationMs: 5_000, maxRequests: 40, next: configRequest });
  await runLoad(client, {
    concurrency: 2,
    durationMs: 5_000,
    maxRequests: 20,
    next: () => ({ method: "POST", path: "/v1/resets", body: { username: unknownName() }, headers: { "cf-connecting-ip": nextIp() } }),
  });

  // --- the yardstick itself, and config
  o.log("  baseline, GET /v1/config");
  const baseIdle = await runLoad(client, { concurrency: 1, durationMs: 30_000, maxRequests: o.idleRequests, next: baselineRequest });
  const baseLoaded = await runLoad(client, { concurrency: o.concurrency, durationMs: loadedMs, next: baselineRequest });
  figures.push({
    key: "baseline",
    label: "GET /v1/dev/baseline",
    note: "bare Hono route reading one D1 row: the yardstick",
    target: false,
    idle: baseIdle,
    baselineIdle: baseIdle,
    loaded: baseLoaded,
    baselineLoaded: baseLoaded,
    ratioIdle: 1,
    ratioLoaded: 1,
    configIdle: null,
    ratioToConfigIdle: null,
  });
  await measure({ key: "config", label: "GET /v1/config", note: "public config (policy read)", spec: () => ({ next: configRequest }) });

  // --- POST /v1/resets: half known users (each starts one reset: 201), half unknown names (200
  // unavailable); every request from its own client address, so neither the per-username (5/h) nor
  // the per-IP (30/10 min) limit turns this into a 429 benchmark.
  o.log("  POST /v1/resets");
  const known = [...o.knownUsers];
  const started: StartedReset[] = [];
  const startSpec = (knownShare: "half" | "all") => (): Spec => {
    const names = new Map<number, string>();
    return {
      next: (i: number): LoadRequest | null => {
        // Known users run out: "all" stops there; "half" carries on with unknown names (the mix shows it).
        const k = knownShare === "all" || i % 2 === 0 ? known.shift() : undefined;
        if (!k && knownShare === "all") return null;
        const username = k ?? unknownName();
        names.set(i, username);
        return { method: "POST", path: "/v1/resets", body: { username }, headers: { "cf-connecting-ip": nextIp() } };
      },
      onReply: (reply: Reply, i: number) => {
        if (reply.status !== 201) return;
        const reset = startedReset(names.get(i)!, JSON.parse(reply.text));
        if (reset) started.push(reset);
      },
    };
  };
  await measure({
    key: "resets.start",
    label: "POST /v1/resets",
    note: "50% known users with an email method (201), 50% unknown names (200 unavailable); one client IP per request",
    spec: startSpec("half"),
  });
  // More resets for the challenge runs (not measured).
  if (started.length < RESET_SUPPLY && known.length > 0) {
    await runLoad(client, { concurrency: o.concurrency, durationMs: 20_000, maxRequests: RESET_SUPPLY - started.length, ...startSpec("all")() });
  }

  // --- GET /v1/resets/{id}: reads only, round robin over started resets.
  const sample = started.slice(0, 64);
  if (sample.length > 0) {
    await measure({
      key: "resets.get",
      label: "GET /v1/resets/{id}",
      note: "the reset's state (token check, user, methods, policy in one batch)",
      spec: () => ({
        next: (i: number): LoadRequest => {
          const r = sample[i % sample.length]!;
          return { method: "GET", path: `/v1/resets/${r.resetId}`, token: r.token };
        },
      }),
    });
  } else skip("resets.get", "GET /v1/resets/{id}", "no reset was started (no 201 from POST /v1/resets)");

  // --- POST /v1/resets/{id}/challenges, email: one fresh reset per request (a resend within 60 s and
  // more than 5 codes per method per hour are refused, so each request needs its own reset).
  o.log("  POST /v1/resets/{id}/challenges");
  const emailResets = started.filter((r) => r.methodType === "email");
  const challenged: StartedReset[] = [];
  let emailCursor = 0;
  if (emailResets.length > 0) {
    await measure({
      key: "challenges.email",
      label: "POST /v1/resets/{id}/challenges (email)",
      note: "a code generated, HMAC-stored, checked against send limits, queued for delivery; one fresh reset per request",
      spec: () => {
        const byIndex = new Map<number, StartedReset>();
        return {
          next: (i: number): LoadRequest | null => {
            const r = emailResets[emailCursor++];
            if (!r) return null;
            byIndex.set(i, r);
            // A client of its own per request: reset codes are limited per client (20 an hour), and this
            // measures the send, not that refusal.
            return { method: "POST", path: `/v1/resets/${r.resetId}/challenges`, token: r.token, body: { methodId: r.methodId }, headers: { "cf-connecting-ip": nextIp() } };
          },
          onReply: (reply: Reply, i: number) => {
            if (reply.status === 202) challenged.push(byIndex.get(i)!);
          },
        };
      },
    });
  } else skip("challenges.email", "POST /v1/resets/{id}/challenges (email)", "no reset with an email method");

  // --- TOTP challenges: nothing is sent, so the same few resets can be challenged repeatedly.
  const totpResets: StartedReset[] = [];
  for (const u of o.totpUsers) {
    try {
      totpResets.push(await startReset(client, u.username, nextIp()));
    } catch {
      // reported as skipped below
    }
  }
  if (totpResets.length > 0) {
    await measure({
      key: "challenges.totp",
      label: "POST /v1/resets/{id}/challenges (totp)",
      note: "authenticator app: nothing sent, one audit row written",
      spec: () => ({
        next: (i: number): LoadRequest => {
          const r = totpResets[i % totpResets.length]!;
          return { method: "POST", path: `/v1/resets/${r.resetId}/challenges`, token: r.token, body: { methodId: r.methodId } };
        },
      }),
    });
  } else skip("challenges.totp", "POST /v1/resets/{id}/challenges (totp)", "no user with an authenticator app");

  // --- verify with a wrong code: 4 wrong codes per challenged reset (the 5th blocks the user and
  // answers 429), taken round robin so no user is hit twice in a row.
  o.log("  POST /v1/resets/{id}/verify");
  if (challenged.length > 0) {
    const attempts: StartedReset[] = [];
    for (let round = 0; round < FAILURES_BEFORE_BLOCK; round++) attempts.push(...challenged);
    let attemptCursor = 0;
    const tried = new Map<string, number>();
    const wrongGuess = (r: StartedReset): LoadRequest => ({ method: "POST", path: `/v1/resets/${r.resetId}/verify`, token: r.token, body: { methodId: r.methodId, code: WRONG_CODE } });
    await measure({
      key: "verify.wrong",
      label: "POST /v1/resets/{id}/verify (wrong code)",
      note: `emailed code, wrong guess: failure counters, audit, attempt spent; at most ${FAILURES_BEFORE_BLOCK} per user, so the 400 path is what is timed`,
      spec: () => ({
        next: (): LoadRequest | null => {
          const r = attempts[attemptCursor++];
          if (!r) return null;
          tried.set(r.resetId, (tried.get(r.resetId) ?? 0) + 1);
          return wrongGuess(r);
        },
      }),
    });

    // The 429 path, for contrast: block every challenged user (not timed), then time verifies on them.
    const toBlock = challenged.flatMap((r) => Array.from({ length: FAILURES_BEFORE_BLOCK + 1 - (tried.get(r.resetId) ?? 0) }, () => r));
    await runLoad(client, { concurrency: o.concurrency, durationMs: 30_000, next: (i) => (toBlock[i] ? wrongGuess(toBlock[i]!) : null) });
    await measure({
      key: "verify.blocked",
      label: "POST /v1/resets/{id}/verify (user blocked)",
      note: "for contrast only: 429 reset_blocked once the user is blocked, refused before any code check (not the 400 path)",
      target: false,
      loadedMs: loadedMs / 2,
      spec: () => ({ next: (i: number): LoadRequest => wrongGuess(challenged[i % challenged.length]!) }),
    });
  } else skip("verify.wrong", "POST /v1/resets/{id}/verify (wrong code)", "no challenged reset");
  return figures;
}
