import { and, sql } from "drizzle-orm";
import type { SQL } from "drizzle-orm";
import type { Db } from "../context.js";
import { iso } from "../clock.js";
import { outboxStatements } from "../delivery/deliver.js";
import type { Message } from "../delivery/message.js";
import type { MethodRow } from "../directory/views.js";
import { rateLimited } from "../errors.js";
import { countNow, incrementCounter, readCounters, retryAfter } from "../limits/counters.js";
import type { Limit } from "../limits/counters.js";
import { SEND_KEYS, strategyOf } from "../methods/strategy.js";
import { codeOf, codeStored, prepareCode, RESEND_COOLDOWN_MS, storeCode } from "./codes.js";
import type { CodeRow } from "./codes.js";

/**
 * What sending a code needs to read, for the caller's first batch: the live code and the send counters.
 * The user may be known only as SQL (a subquery on the session), so that key is built in SQL; reading a
 * counter this method type does not check is harmless.
 */
export function sendCodeReads(db: Db, methodId: string, userId: string | SQL, flow: string, now: number) {
  const userKey = typeof userId === "string" ? SEND_KEYS.userEmails(userId) : sql`${SEND_KEYS.userEmails("")} || ${userId}`;
  return [codeOf(db, methodId, flow), readCounters(db, [SEND_KEYS.method(methodId), userKey], now)] as const;
}

export interface SendCode {
  env: Env;
  db: Db;
  now: number;
  secret: string;
  method: MethodRow;
  userId: string;
  flow: string;
  purpose: "registration" | "reset";
  orgName: string;
  ttlMinutes: number;
  existing: CodeRow | undefined;
  counters: { key: string; count: number; windowEnd: number }[];
}

/**
 * Refuses a send that the loaded state already shows to be over a limit (429 with Retry-After), else
 * returns the statements for the write batch and the message to send after the response. The limits are
 * checked again inside the statements, so a concurrent send cannot slip past them.
 */
export async function planCodeSend(s: SendCode) {
  const strategy = strategyOf(s.method);
  const limits: Limit[] = strategy.sendLimits?.(s.method.id, s.userId) ?? [];
  if (s.existing && s.now - s.existing.createdAt < RESEND_COOLDOWN_MS) {
    throw rateLimited((s.existing.createdAt + RESEND_COOLDOWN_MS - s.now) / 1000, "A code was just sent. Wait a minute before asking for another.");
  }
  const wait = retryAfter(s.counters, limits, s.now);
  if (wait !== null) throw rateLimited(wait, "Too many codes were sent. Try again later.");

  const { code, row } = await prepareCode(s.secret, s.method.id, s.flow, s.now, s.ttlMinutes * 60_000);
  const withinLimits = limits.length ? and(...limits.map((l) => sql`${countNow(l.key, s.now)} < ${l.max}`))! : sql`1`;
  const message: Message = strategy.codeMessage!({ to: s.method.target!, orgName: s.orgName, code, minutes: s.ttlMinutes, purpose: s.purpose });
  return {
    codeId: row.id,
    expiresAt: iso(row.expiresAt),
    message,
    statements: [
      storeCode(s.db, row, withinLimits),
      ...limits.map((l) => incrementCounter(s.db, l, s.now, codeStored(row.id))),
      ...outboxStatements(s.env, s.db, [message], s.now, codeStored(row.id)),
    ],
  };
}

/** After the write batch: whether this request's code is the one stored (a concurrent send may have won). */
export const sendRefusedByRace = () => rateLimited(RESEND_COOLDOWN_MS / 1000, "A code was just sent. Wait a minute before asking for another.");

