import type { SQL } from "drizzle-orm";
import { sql } from "drizzle-orm";
import { auditInsert } from "../audit.js";
import type { Db } from "../context.js";
import { isDevelopment } from "../context.js";
import { rawStatement } from "../db/raw.js";
import { devOutbox } from "../db/schema.js";
import type { Message } from "./message.js";
import { emailSender, smsSender } from "./transports.js";

/**
 * The dev outbox row for a message, to go into the request's own write batch (so a client that reads
 * the outbox right after the response finds it). Outside development there is no statement.
 */
export function outboxStatements(env: Env, db: Db, messages: Message[], now: number, onlyIf?: SQL) {
  return messages.flatMap((m) => outboxStatement(env, db, { ...m, to: m.to.toLowerCase() }, now, onlyIf));
}

type OutboxRow = { [K in "channel" | "to" | "subject" | "text"]: string | SQL } & { code?: string };

/** One outbox row whose fields may be SQL, for a flow that knows the recipient only in its batch. */
export function outboxStatement(env: Env, db: Db, m: OutboxRow, now: number, onlyIf?: SQL) {
  return isDevelopment(env) ? [outboxInsert(db, m, now, onlyIf)] : [];
}

/** The outbox row's statement, for a caller that has checked it runs in development. */
export const outboxInsert = (db: Db, m: OutboxRow, now: number, onlyIf?: SQL) =>
  rawStatement(
    db,
    sql`insert into ${devOutbox} (channel, recipient, subject, body, code, sent_at)
      select ${m.channel}, ${m.to}, ${m.subject}, ${m.text}, ${m.code ?? null}, ${now} where ${onlyIf ?? sql`1`}`,
  );

export interface DeliveryContext {
  env: Env;
  db: Db;
  now: number;
  userId: string | null;
  waitUntil: (promise: Promise<unknown>) => void;
}

/**
 * Sends after the response (waitUntil): the user is not kept waiting on SMTP, and a failed delivery is
 * recorded in the audit log without undoing what the request did (the method stays; a resend works).
 */
export function sendLater(ctx: DeliveryContext, messages: Message[], detail: Record<string, unknown> = {}): void {
  if (messages.length === 0) return;
  ctx.waitUntil(
    (async () => {
      for (const message of messages) {
        try {
          const sender = message.channel === "email" ? emailSender(ctx.env) : smsSender(ctx.env);
          await sender?.send(message);
        } catch (error) {
          console.error("delivery failed", message.channel, error instanceof Error ? error.message : String(error));
          await auditInsert(ctx.db, {
            type: "method.delivery_failed",
            at: ctx.now,
            subjectId: ctx.userId,
            outcome: "failure",
            detail: { ...detail, channel: message.channel, error: error instanceof Error ? error.message.slice(0, 200) : "unknown" },
          });
        }
      }
    })(),
  );
}
