import { DurableObject } from "cloudflare:workers";
import { drizzle } from "drizzle-orm/d1";
import { eq } from "drizzle-orm";
import type { AgentPublicKey, CancelMessage, ToAgentMessage } from "../../../../shared/directory/protocol.js";
import { AGENT_CLOSE, AGENT_PING, AGENT_PONG, fromAgentMessageSchema } from "../../../../shared/directory/protocol.js";
import { now } from "../../clock.js";
import { directoryAgents } from "../../db/schema.js";
import type { AgentOutcome } from "./job-types.js";

/** What each accepted socket carries through hibernation. */
export interface AgentAttachment {
  agentId: string;
  publicKey: AgentPublicKey;
  connectedAt: number;
}

/** Set by the worker's connect route (after it authenticated the agent); the hub is reachable only through it. */
export const HUB_AGENT_ID_HEADER = "x-opensspr-agent-id";
export const HUB_AGENT_KEY_HEADER = "x-opensspr-agent-key";

interface PendingJob {
  ws: WebSocket;
  settle: (outcome: AgentOutcome) => void;
}

export const unavailable = (message: string): AgentOutcome => ({ ok: false, reason: "unavailable", message });

/**
 * The one object (idFromName("directory")) that holds every connected agent's WebSocket. Sockets are
 * accepted with the hibernation API and pings are answered by the runtime, so an idle agent costs no
 * wake-ups; the object stays awake only while a job waits for its answer, which is why the table of
 * waiting jobs can live in memory.
 */
export class DirectoryHub extends DurableObject<Env> {
  private readonly pending = new Map<string, PendingJob>();

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    ctx.setWebSocketAutoResponse(new WebSocketRequestResponsePair(AGENT_PING, AGENT_PONG));
  }

  /** The upgrade, forwarded by `GET /v1/agent/connect` with the authenticated agent in two headers. */
  override async fetch(request: Request): Promise<Response> {
    const agentId = request.headers.get(HUB_AGENT_ID_HEADER);
    const publicKey = request.headers.get(HUB_AGENT_KEY_HEADER);
    if (!agentId || !publicKey || request.headers.get("upgrade")?.toLowerCase() !== "websocket") return new Response(null, { status: 400 });

    for (const older of this.ctx.getWebSockets(agentId)) this.closeSocket(older, AGENT_CLOSE.replaced, "Replaced by a newer connection of this agent.");
    const [client, server] = Object.values(new WebSocketPair()) as [WebSocket, WebSocket];
    this.ctx.acceptWebSocket(server, [agentId]);
    server.serializeAttachment({ agentId, publicKey: JSON.parse(publicKey) as AgentPublicKey, connectedAt: now() } satisfies AgentAttachment);

    // After the accept: an agent deleted meanwhile either loses its row before this update (and is closed
    // here) or after it, and then the delete's `disconnect` finds this socket.
    const db = drizzle(this.env.DB);
    const [seen] = await db.update(directoryAgents).set({ lastSeenAt: now() }).where(eq(directoryAgents.id, agentId)).returning({ id: directoryAgents.id });
    if (!seen) this.closeSocket(server, AGENT_CLOSE.removed, "This agent was removed.");
    return new Response(null, { status: 101, webSocket: client });
  }

  /**
   * Agents with an open socket, each with its last sign of life: the later of its connection and its
   * last ping (which the runtime answered and timestamped without waking this object).
   */
  async connectedAgents(): Promise<{ agentId: string; lastSeenAt: number }[]> {
    return this.openSockets().map(({ ws, attachment }) => ({
      agentId: attachment.agentId,
      lastSeenAt: Math.max(attachment.connectedAt, this.ctx.getWebSocketAutoResponseTimestamp(ws)?.getTime() ?? 0),
    }));
  }

  /** The agent that takes the next job: the most recently connected one. */
  async chooseAgent(): Promise<AgentAttachment | null> {
    const newest = this.openSockets().sort((a, b) => b.attachment.connectedAt - a.attachment.connectedAt)[0];
    return newest?.attachment ?? null;
  }

  /** Sends one job to the agent and waits for its `result`, a close of its socket, or the timeout. */
  async dispatch(agentId: string, message: ToAgentMessage, timeoutMs: number): Promise<AgentOutcome> {
    const socket = this.openSockets().find((s) => s.attachment.agentId === agentId);
    if (!socket) return unavailable("The agent is not connected.");
    return new Promise<AgentOutcome>((resolve) => {
      const timer = setTimeout(() => {
        settle(unavailable("The agent did not answer in time."));
        // The caller is told nothing changed: a write the agent has not sent yet must stay unsent.
        try {
          socket.ws.send(JSON.stringify({ type: "cancel", id: message.id } satisfies CancelMessage));
        } catch {
          // The connection is gone: so is the job.
        }
      }, timeoutMs);
      const settle = (outcome: AgentOutcome) => {
        clearTimeout(timer);
        this.pending.delete(message.id);
        resolve(outcome);
      };
      this.pending.set(message.id, { ws: socket.ws, settle });
      try {
        socket.ws.send(JSON.stringify(message));
      } catch {
        settle(unavailable("The agent's connection closed."));
      }
    });
  }

  /** An agent deleted by an admin: its sockets close now, its waiting jobs fail. */
  async disconnect(agentId: string): Promise<void> {
    for (const ws of this.ctx.getWebSockets(agentId)) this.closeSocket(ws, AGENT_CLOSE.removed, "This agent was removed.");
  }

  override async webSocketMessage(ws: WebSocket, message: string | ArrayBuffer): Promise<void> {
    if (typeof message !== "string") return;
    let value: unknown;
    try {
      value = JSON.parse(message);
    } catch {
      return;
    }
    const parsed = fromAgentMessageSchema.safeParse(value);
    if (!parsed.success) return;
    const job = this.pending.get(parsed.data.id);
    // Only the socket the job went to may answer it.
    if (job?.ws === ws) job.settle(parsed.data.result);
  }

  override async webSocketClose(ws: WebSocket, code: number, reason: string): Promise<void> {
    this.closeSocket(ws, code, reason);
  }

  override async webSocketError(ws: WebSocket): Promise<void> {
    this.closeSocket(ws, 1011, "Connection error.");
  }

  private openSockets(): { ws: WebSocket; attachment: AgentAttachment }[] {
    return this.ctx
      .getWebSockets()
      .filter((ws) => ws.readyState === WebSocket.OPEN)
      .map((ws) => ({ ws, attachment: ws.deserializeAttachment() as AgentAttachment | null }))
      .filter((s): s is { ws: WebSocket; attachment: AgentAttachment } => s.attachment !== null);
  }

  private closeSocket(ws: WebSocket, code: number, reason: string): void {
    for (const job of [...this.pending.values()]) if (job.ws === ws) job.settle(unavailable("The agent's connection closed."));
    try {
      // 1005/1006 describe a close that never had a frame; they cannot be sent back.
      ws.close(code === 1005 || code === 1006 ? 1000 : code, reason);
    } catch {
      // Already closed: nothing left to do.
    }
  }
}
