import WebSocket from "ws";
import { AGENT_CLOSE, AGENT_PING, AGENT_PONG, type FromAgentMessage } from "../../shared/directory/protocol.js";
import { backoffDelayMs } from "./backoff.js";
import { AgentFatalError, causeOf } from "./fatal.js";
import { log } from "./log.js";
import { AgentRemovedError, endpoint } from "./worker-api.js";

export const PING_INTERVAL_MS = 25_000;
export const SILENCE_LIMIT_MS = 60_000;

export interface ChannelOptions {
  workerUrl: string;
  credential: string;
  stateFile: string;
  onMessage: (text: string) => void;
  /** A condition reconnecting cannot fix (credential refused, another process took over). */
  onFatal: (error: AgentFatalError) => void;
  pingIntervalMs?: number;
  silenceLimitMs?: number;
}

export function connectUrl(workerUrl: string): string {
  const url = endpoint(workerUrl, "/v1/agent/connect");
  url.protocol = url.protocol === "https:" ? "wss:" : "ws:";
  return url.toString();
}

/**
 * The agent's one WebSocket to the worker, kept open: "ping" every 25 s, a socket silent for 60 s is
 * dropped, and any close or error reconnects after an exponential backoff with jitter (1 s to 60 s).
 */
export class AgentChannel {
  private socket: WebSocket | null = null;
  private attempt = 0;
  private reconnectTimer: NodeJS.Timeout | null = null;
  private heartbeat: NodeJS.Timeout | null = null;
  private lastTraffic = 0;
  private stopped = false;

  constructor(private readonly options: ChannelOptions) {}

  /** The first connection: resolves once open, rejects with a one-line reason when it cannot be made. */
  connect(): Promise<void> {
    return new Promise((resolve, reject) => this.open({ resolve, reject }));
  }

  send(message: FromAgentMessage): boolean {
    if (this.socket?.readyState !== WebSocket.OPEN) return false;
    this.socket.send(JSON.stringify(message));
    return true;
  }

  private open(first?: { resolve: () => void; reject: (error: Error) => void }): void {
    if (this.stopped) return;
    const url = connectUrl(this.options.workerUrl);
    // closeTimeout (ws 8.18+, not in its types): after the worker's close frame, wait 2 s rather than
    // 30 s for the TCP close that wrangler's local runtime never sends, so a removal or restart is seen at once.
    const options: WebSocket.ClientOptions & { closeTimeout: number } = {
      headers: { authorization: `Bearer ${this.options.credential}` },
      handshakeTimeout: 15_000,
      closeTimeout: 2_000,
    };
    const socket = new WebSocket(url, options);
    this.socket = socket;
    let failure: Error | null = null;

    socket.on("unexpected-response", (_request, response) => {
      failure =
        response.statusCode === 401 ? new AgentRemovedError(this.options.stateFile) : new Error(`the worker answered ${response.statusCode} instead of opening the agent's WebSocket at ${url}`);
      response.resume();
      socket.terminate();
    });
    socket.on("open", () => {
      this.lastTraffic = Date.now();
      this.startHeartbeat(socket);
      log(`connected to ${new URL(url).origin}`);
      first?.resolve();
      first = undefined;
    });
    socket.on("message", (data, isBinary) => {
      this.lastTraffic = Date.now();
      if (isBinary) return;
      const text = data.toString();
      if (text === AGENT_PONG) {
        this.attempt = 0;
        return;
      }
      this.options.onMessage(text);
    });
    socket.on("error", (error) => {
      failure ??= new Error(`cannot reach the worker at ${new URL(url).origin} (${causeOf(error)})`);
    });
    socket.on("close", (code) => {
      this.stopHeartbeat();
      if (this.socket === socket) this.socket = null;
      if (this.stopped) return;
      const fatal = this.fatalFor(code, failure);
      if (first) {
        first.reject(fatal ?? new AgentFatalError(failure?.message ?? `the worker closed the agent's WebSocket (code ${code})`));
        return;
      }
      if (fatal) {
        this.options.onFatal(fatal);
        return;
      }
      const delay = backoffDelayMs(this.attempt++);
      log(`disconnected from the worker (${failure?.message ?? `code ${code}`}); reconnecting in ${(delay / 1000).toFixed(1)} s`);
      this.reconnectTimer = setTimeout(() => {
        this.reconnectTimer = null;
        this.open();
      }, delay);
    });
  }

  private fatalFor(code: number, failure: Error | null): AgentFatalError | null {
    if (failure instanceof AgentFatalError) return failure;
    if (code === AGENT_CLOSE.removed) return new AgentRemovedError(this.options.stateFile);
    if (code === AGENT_CLOSE.replaced) {
      return new AgentFatalError(`another process connected with this agent's credential and replaced this one: run one process per stateDir (enroll a second agent for a standby)`);
    }
    return null;
  }

  private startHeartbeat(socket: WebSocket): void {
    this.stopHeartbeat();
    const pingEvery = this.options.pingIntervalMs ?? PING_INTERVAL_MS;
    const silenceLimit = this.options.silenceLimitMs ?? SILENCE_LIMIT_MS;
    this.heartbeat = setInterval(() => {
      if (Date.now() - this.lastTraffic > silenceLimit) {
        log(`no answer from the worker for ${Math.round(silenceLimit / 1000)} s; dropping the connection`);
        socket.terminate();
        return;
      }
      if (socket.readyState === WebSocket.OPEN) socket.send(AGENT_PING);
    }, pingEvery);
  }

  private stopHeartbeat(): void {
    if (this.heartbeat) clearInterval(this.heartbeat);
    this.heartbeat = null;
  }

  async close(): Promise<void> {
    this.stopped = true;
    if (this.reconnectTimer) clearTimeout(this.reconnectTimer);
    this.stopHeartbeat();
    const socket = this.socket;
    if (!socket || socket.readyState === WebSocket.CLOSED) return;
    await new Promise<void>((resolve) => {
      const timer = setTimeout(() => {
        socket.terminate();
        resolve();
      }, 2_000);
      socket.once("close", () => {
        clearTimeout(timer);
        resolve();
      });
      socket.close(1000, "agent stopping");
    });
  }
}
