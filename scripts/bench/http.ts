/**
 * A small keep-alive HTTP client for the benchmark: node:http straight, so the client's own overhead
 * (in the same process as the load loop) stays well under the worker's latencies.
 */
import http from "node:http";

export interface CallOptions {
  body?: unknown;
  token?: string;
  headers?: Record<string, string>;
}

export interface Reply {
  status: number;
  headers: http.IncomingHttpHeaders;
  text: string;
  /** Wall time from sending the request to the last byte of the body. */
  ms: number;
}

export class Client {
  readonly agent: http.Agent;
  readonly host: string;
  readonly port: number;

  constructor(readonly base: string, maxSockets = 32) {
    const url = new URL(base);
    this.host = url.hostname;
    this.port = Number(url.port);
    this.agent = new http.Agent({ keepAlive: true, maxSockets });
  }

  call(method: string, path: string, opts: CallOptions = {}): Promise<Reply> {
    const headers: Record<string, string> = { ...opts.headers };
    if (opts.token) headers.authorization = `Bearer ${opts.token}`;
    let payload: Buffer | undefined;
    if (opts.body !== undefined) {
      payload = Buffer.from(JSON.stringify(opts.body));
      headers["content-type"] ??= "application/json";
      headers["content-length"] = String(payload.length);
    }
    return new Promise((resolve, reject) => {
      const start = performance.now();
      const req = http.request({ host: this.host, port: this.port, method, path, headers, agent: this.agent }, (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (c: Buffer) => chunks.push(c));
        res.on("end", () => resolve({ status: res.statusCode ?? 0, headers: res.headers, text: Buffer.concat(chunks).toString("utf8"), ms: performance.now() - start }));
        res.on("error", reject);
      });
      req.setTimeout(30_000, () => req.destroy(new Error(`${method} ${path}: no answer within 30 s`)));
      req.on("error", reject);
      req.end(payload);
    });
  }

  async json<T = any>(method: string, path: string, opts: CallOptions = {}): Promise<Reply & { body: T }> {
    const reply = await this.call(method, path, opts);
    return { ...reply, body: parseBody(reply.text) as T };
  }

  close(): void {
    this.agent.destroy();
  }
}

export function parseBody(text: string): any {
  if (!text) return null;
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}

/** `403 forbidden`, `400 invalid_code`, `201` — the status and, for errors, the contract's error code. */
export function outcomeOf(reply: Reply): string {
  const code = reply.status >= 400 ? parseBody(reply.text)?.error?.code : undefined;
  return typeof code === "string" ? `${reply.status} ${code}` : String(reply.status);
}

export interface ServerTiming {
  d1RoundTrips: number | null;
  d1Ms: number | null;
  kdfMs: number | null;
}

/** Reads the development `Server-Timing: d1;desc="<n> round trips";dur=<ms>, kdf;dur=<ms>` (contract). */
export function serverTiming(headers: http.IncomingHttpHeaders): ServerTiming {
  const raw = headers["server-timing"];
  const value = Array.isArray(raw) ? raw.join(", ") : (raw ?? "");
  const result: ServerTiming = { d1RoundTrips: null, d1Ms: null, kdfMs: null };
  for (const metric of value.split(",")) {
    const [name, ...params] = metric.trim().split(";");
    const param = (key: string) => params.map((p) => p.trim()).find((p) => p.startsWith(`${key}=`))?.slice(key.length + 1);
    if (name === "d1") {
      const desc = /(\d+)\s+round trip/.exec(param("desc") ?? "");
      result.d1RoundTrips = desc ? Number(desc[1]) : null;
      const dur = param("dur");
      result.d1Ms = dur === undefined ? null : Number(dur);
    } else if (name === "kdf") {
      const dur = param("dur");
      result.kdfMs = dur === undefined ? null : Number(dur);
    }
  }
  return result;
}
