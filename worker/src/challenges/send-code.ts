import type { Locale } from "../../../shared/locale.js";
import { and, eq, sql } from "drizzle-orm";
import type { SQL } from "drizzle-orm";
import type { Db } from "../context.js";
import { iso } from "../clock.js";
import { recoveryMethods } from "../db/schema.js";
import { outboxStatements } from "../delivery/deliver.js";
import type { Message } from "../delivery/message.js";
import type { MethodRow } from "../directory/views.js";
import { rateLimited } from "../errors.js";
import { countNow, incrementCounter, readCounters, retryAfter } from "../limits/counters.js";
import type { Limit } from "../limits/counters.js";
import { smsCountryAllowed, smsCountryRefused } from "../methods/phone.js";
import { SEND_KEY_PREFIX, strategyOf } from "../methods/strategy.js";
import type { Sender } from "../methods/strategy.js";
import { codeOf, codeStored, prepareCode, RESEND_COOLDOWN_MS, storeCode } from "./codes.js";
import type { CodeRow } from "./codes.js";

type Counter = { key: string; count: number; windowEnd: number };

/**
 * What sending a code needs to read, for the caller's first batch: the live code and the send counters.
 * The user may be known only as SQL (a subquery on the session), and the method's destination is not
 * known before this batch, so the keys are built in SQL, exactly as SEND_KEYS builds them (lower() is
 * destinationOf for the ASCII addresses the schemas admit); in SQL too for the values a statement
 * template (db/templates.ts) binds later. Reading a counter this method type does not check is harmless.
 */
export function sendCodeReads(db: Db, methodId: string, userId: string | SQL, flow: string, now: number, sender: Sender = { purpose: "registration" }) {
  const key = (prefix: string, value: string | SQL) => sql`${prefix} || ${value}`;
  const target = db.select({ target: recoveryMethods.target }).from(recoveryMethods).where(eq(recoveryMethods.id, methodId));
  const keys = [
    key(SEND_KEY_PREFIX.method, methodId),
    key(SEND_KEY_PREFIX.userEmails, userId),
    key(SEND_KEY_PREFIX.userEmailsDaily, userId),
    key(SEND_KEY_PREFIX.userSmsDaily, userId),
    key(SEND_KEY_PREFIX.destination, sql`lower((${target}))`),
  ];
  if (sender.purpose === "reset") keys.push(key(SEND_KEY_PREFIX.client, sender.client));
  return [codeOf(db, methodId, flow), readCounters(db, keys, now)] as const;
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
  /** The recipient's language (issue 18): the user's locale, else the policy's default. */
  locale: Locale;
  /** Policy `methods.smsCountries`: a number the policy no longer allows gets no code. */
  smsCountries: readonly string[];
  ttlMinutes: number;
  existing: CodeRow | undefined;
  counters: Counter[];
  /** A further condition for storing the code, from an earlier statement of the caller's batch. */
  onlyIf?: SQL;
}

const tooManyCodes = (wait: number) => rateLimited(wait, "Too many codes were sent. Try again later.");
/** A code was stored within the last minute (the cooldown), possibly by a concurrent request. */
export const justSent = (wait: number) => rateLimited(wait, "A code was just sent. Wait a minute before asking for another.");

/**
 * Throws the refusal (429 with Retry-After, or 422 for a number outside smsCountries) for a send that the
 * loaded state shows to be over a limit; returns the limits that apply otherwise.
 */
export function refuseSend(s: Pick<SendCode, "method" | "userId" | "smsCountries" | "existing" | "counters" | "now">, sender: Sender): Limit[] {
  if (s.method.type === "sms" && !smsCountryAllowed(s.method.target!, s.smsCountries)) throw smsCountryRefused(s.smsCountries);
  const limits: Limit[] = strategyOf(s.method).sendLimits?.(s.method, s.userId, sender) ?? [];
  if (s.existing && s.now - s.existing.createdAt < RESEND_COOLDOWN_MS) {
    throw justSent((s.existing.createdAt + RESEND_COOLDOWN_MS - s.now) / 1000);
  }
  const wait = retryAfter(s.counters, limits, s.now);
  if (wait !== null) throw tooManyCodes(wait);
  return limits;
}

/**
 * Refuses a send that the loaded state already shows to be over a limit (refuseSend), else returns the
 * statements for the write batch and the message to send after the response. The limits are checked
 * again inside the statements, so a concurrent send cannot slip past them; `countersAfter`, placed last
 * in the caller's batch, tells which limit refused a send that lost that race.
 */
export async function planCodeSend(s: SendCode) {
  const strategy = strategyOf(s.method);
  const limits = refuseSend(s, { purpose: "registration" });
  const { code, row } = await prepareCode(s.secret, s.method.id, s.flow, s.now, s.ttlMinutes * 60_000);
  const withinLimits = and(...limits.map((l) => sql`${countNow(l.key, s.now)} < ${l.max}`), s.onlyIf) ?? sql`1`;
  const message: Message = strategy.codeMessage!({ to: s.method.target!, orgName: s.orgName, code, minutes: s.ttlMinutes, purpose: s.purpose, locale: s.locale });
  return {
    codeId: row.id,
    expiresAt: iso(row.expiresAt),
    message,
    statements: [
      storeCode(s.db, row, withinLimits),
      ...limits.map((l) => incrementCounter(s.db, l, s.now, codeStored(row.id))),
      ...outboxStatements(s.env, s.db, [message], s.now, codeStored(row.id)),
    ],
    countersAfter: readCounters(s.db, limits.map((l) => l.key), s.now),
    /** The answer when the batch stored no code, from `countersAfter`'s result: a limit, else a concurrent send's cooldown. */
    refusal: (countersAfter: unknown) => {
      const over = retryAfter(countersAfter as Counter[], limits, s.now);
      return over !== null ? tooManyCodes(over) : justSent(RESEND_COOLDOWN_MS / 1000);
    },
  };
}
