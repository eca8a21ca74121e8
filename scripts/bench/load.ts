/** A bounded closed-loop load generator: `concurrency` requests in flight until time or supply runs out. */
import type { CallOptions, Client, Reply } from "./http.js";
import { outcomeOf, serverTiming } from "./http.js";

export interface LoadRequest extends CallOptions {
  method: string;
  path: string;
}

export interface LoadSpec {
  concurrency: number;
  /** Stop starting new requests after this long. */
  durationMs: number;
  /** Stop after this many requests (the supply of fresh resets, users… is finite). */
  maxRequests?: number;
  /** The i-th request, or null when the supply is exhausted. */
  next: (i: number) => LoadRequest | null;
  onReply?: (reply: Reply, i: number) => void;
}

export interface Stats {
  n: number;
  medianMs: number | null;
  p95Ms: number | null;
  p99Ms: number | null;
  meanMs: number | null;
  minMs: number | null;
  maxMs: number | null;
}

export interface LoadResult extends Stats {
  concurrency: number;
  elapsedMs: number;
  requestsPerSecond: number;
  /** e.g. {"201": 120, "200": 118, "429 rate_limited": 2} */
  statuses: Record<string, number>;
  /** D1 round trips per request, from Server-Timing: {"2": 240} */
  roundTrips: Record<string, number>;
  /** Median time the request spent waiting on D1 (Server-Timing `d1;dur`). */
  d1MedianMs: number | null;
  /** Median of (latency − D1 time): HTTP, wrangler's proxy, the worker's own CPU. */
  restMedianMs: number | null;
  errors: number;
}

/** Nearest-rank percentile of sorted values. */
export function percentile(sorted: number[], p: number): number | null {
  if (sorted.length === 0) return null;
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length - 1, Math.max(0, rank - 1))]!;
}

export function median(values: number[]): number | null {
  const sorted = [...values].sort((a, b) => a - b);
  const n = sorted.length;
  return n === 0 ? null : n % 2 ? sorted[(n - 1) / 2]! : (sorted[n / 2 - 1]! + sorted[n / 2]!) / 2;
}

export function stats(values: number[]): Stats {
  const sorted = [...values].sort((a, b) => a - b);
  const n = sorted.length;
  return {
    n,
    medianMs: median(sorted),
    p95Ms: percentile(sorted, 95),
    p99Ms: percentile(sorted, 99),
    meanMs: n === 0 ? null : sorted.reduce((a, b) => a + b, 0) / n,
    minMs: sorted[0] ?? null,
    maxMs: sorted[n - 1] ?? null,
  };
}

const bump = (record: Record<string, number>, key: string) => {
  record[key] = (record[key] ?? 0) + 1;
};

/** Collects what the replies of one run say. */
export class Recorder {
  readonly latencies: number[] = [];
  readonly d1Ms: number[] = [];
  readonly rest: number[] = [];
  readonly statuses: Record<string, number> = {};
  readonly roundTrips: Record<string, number> = {};
  errors = 0;

  record(reply: Reply): void {
    this.latencies.push(reply.ms);
    bump(this.statuses, outcomeOf(reply));
    const timing = serverTiming(reply.headers);
    bump(this.roundTrips, timing.d1RoundTrips === null ? "?" : String(timing.d1RoundTrips));
    if (timing.d1Ms !== null) {
      this.d1Ms.push(timing.d1Ms);
      this.rest.push(reply.ms - timing.d1Ms);
    }
  }

  failed(): void {
    this.errors++;
    bump(this.statuses, "network error");
  }

  /** `elapsedMs` null: one request at a time, so requests/s is 1 / mean latency. */
  result(concurrency: number, elapsedMs: number | null): LoadResult {
    const s = stats(this.latencies);
    const elapsed = elapsedMs ?? this.latencies.reduce((a, b) => a + b, 0);
    return {
      ...s,
      concurrency,
      elapsedMs: elapsed,
      requestsPerSecond: elapsed > 0 ? this.latencies.length / (elapsed / 1000) : 0,
      statuses: this.statuses,
      roundTrips: this.roundTrips,
      d1MedianMs: median(this.d1Ms),
      restMedianMs: median(this.rest),
      errors: this.errors,
    };
  }
}

async function send(client: Client, request: LoadRequest, recorder: Recorder): Promise<Reply | null> {
  try {
    const reply = await client.call(request.method, request.path, request);
    recorder.record(reply);
    return reply;
  } catch {
    recorder.failed();
    return null;
  }
}

/** Runs `spec` into `recorder`; `counter` numbers the requests across several calls (slices). */
async function runInto(client: Client, spec: LoadSpec, recorder: Recorder, counter = { issued: 0 }): Promise<{ elapsedMs: number; exhausted: boolean }> {
  let exhausted = false;
  let issuedHere = 0;
  const start = performance.now();
  const deadline = start + spec.durationMs;
  const max = spec.maxRequests ?? Number.POSITIVE_INFINITY;
  const lane = async () => {
    while (!exhausted && issuedHere < max && performance.now() < deadline) {
      const i = counter.issued++;
      issuedHere++;
      const request = spec.next(i);
      if (!request) {
        exhausted = true;
        break;
      }
      const reply = await send(client, request, recorder);
      if (reply) spec.onReply?.(reply, i);
    }
  };
  await Promise.all(Array.from({ length: spec.concurrency }, lane));
  return { elapsedMs: performance.now() - start, exhausted };
}

export async function runLoad(client: Client, spec: LoadSpec): Promise<LoadResult> {
  const recorder = new Recorder();
  const { elapsedMs } = await runInto(client, spec, recorder);
  return recorder.result(spec.concurrency, elapsedMs);
}

/**
 * Under load, alternating slices: baseline, endpoint, baseline, endpoint… (`slices` of each), so both
 * see the same machine over the same stretch of time. Stops early when the endpoint's supply runs out.
 */
export async function runAlternating(
  client: Client,
  o: { concurrency: number; endpointMs: number; baselineMs: number; slices: number; baseline: () => LoadRequest; spec: Pick<LoadSpec, "next" | "onReply"> },
): Promise<{ endpoint: LoadResult; baseline: LoadResult }> {
  const mine = new Recorder();
  const yardstick = new Recorder();
  const counter = { issued: 0 };
  let mineMs = 0;
  let yardstickMs = 0;
  for (let k = 0; k < o.slices; k++) {
    yardstickMs += (await runInto(client, { concurrency: o.concurrency, durationMs: o.baselineMs / o.slices, next: o.baseline }, yardstick)).elapsedMs;
    const slice = await runInto(client, { concurrency: o.concurrency, durationMs: o.endpointMs / o.slices, ...o.spec }, mine, counter);
    mineMs += slice.elapsedMs;
    if (slice.exhausted) break;
  }
  return { endpoint: mine.result(o.concurrency, mineMs), baseline: yardstick.result(o.concurrency, yardstickMs) };
}

/**
 * One request at a time, alternating the yardstick and the endpoint (A B A B …), so both see the same
 * machine: drift and other work on the machine cancel out of their ratio. With `beside`, a third
 * request takes its turn too (A B C A B C …): issue 13 states its targets against GET /v1/config.
 */
export async function runPaired(
  client: Client,
  pairs: number,
  baseline: () => LoadRequest,
  spec: Pick<LoadSpec, "next" | "onReply">,
  beside?: () => LoadRequest,
): Promise<{ endpoint: LoadResult; baseline: LoadResult; beside: LoadResult | null }> {
  const mine = new Recorder();
  const yardstick = new Recorder();
  const third = new Recorder();
  for (let i = 0; i < pairs; i++) {
    const request = spec.next(i);
    if (!request) break;
    await send(client, baseline(), yardstick);
    const reply = await send(client, request, mine);
    if (reply) spec.onReply?.(reply, i);
    if (beside) await send(client, beside(), third);
  }
  return { endpoint: mine.result(1, null), baseline: yardstick.result(1, null), beside: beside ? third.result(1, null) : null };
}
