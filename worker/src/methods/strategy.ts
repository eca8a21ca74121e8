import type { Locale } from "../../../shared/locale.js";
import type { MethodType } from "../../../shared/policy/method-types.js";
import type { Message } from "../delivery/message.js";
import { codeEmail, codeSms } from "../delivery/templates.js";
import type { MethodRow } from "../directory/views.js";
import type { Limit } from "../limits/counters.js";

/**
 * How each method type proves possession (spec §3), behind one interface: the flows ask the strategy,
 * never switch on the type themselves.
 */
export interface MethodStrategy {
  /** "code": a code is sent and typed back; "totp": the app's current code; "questions": answers. */
  kind: "code" | "totp" | "questions";
  /** At most this many of the type per user. */
  maxPerUser: number;
  /** Code strategies: the message carrying a code to the method's target. */
  codeMessage?: (o: { to: string; orgName: string; code: string; minutes: number | string; purpose: "registration" | "reset"; locale: Locale }) => Message;
  /** Code strategies: the send limits for this method and user (spec §6, issue 11), by who asks for the code. */
  sendLimits?: (method: Pick<MethodRow, "id" | "target">, userId: string, sender: Sender) => Limit[];
}

/**
 * Who makes a code go out. Registration: the signed-in user, to a destination they chose, so the
 * per-user daily caps stop an account being used to send codes anywhere. Reset: anyone who knows a
 * username, to the user's own registered destinations; counted per client instead, so a stranger can
 * neither spend the user's daily budget (locking them out of their own reset for a day) nor use
 * resets to send codes without bound.
 */
export type Sender = { purpose: "registration" } | { purpose: "reset"; client: string };

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/**
 * Key prefixes of the send counters. Only `method` dies with the method: the others are built from the
 * user id and the destination, so deleting and re-adding a method (a new id, a fresh per-method count)
 * resets none of them (issue 11: SMS cost abuse). sendCodeReads builds the same keys in SQL.
 */
export const SEND_KEY_PREFIX = {
  method: "send:method:",
  userEmails: "send:email:",
  userEmailsDaily: "send:email-day:",
  userSmsDaily: "send:sms-day:",
  destination: "send:to:",
  client: "send:client:",
} as const;

/**
 * A destination as counted: E.164 numbers as they are, addresses in lower case. ASCII folding only, the
 * same as SQLite's lower() in sendCodeReads (the email schema admits only ASCII addresses anyway).
 */
export const destinationOf = (target: string) => target.replace(/[A-Z]/g, (ch) => ch.toLowerCase());

export const SEND_KEYS = {
  method: (methodId: string) => SEND_KEY_PREFIX.method + methodId,
  userEmails: (userId: string) => SEND_KEY_PREFIX.userEmails + userId,
  userEmailsDaily: (userId: string) => SEND_KEY_PREFIX.userEmailsDaily + userId,
  userSmsDaily: (userId: string) => SEND_KEY_PREFIX.userSmsDaily + userId,
  destination: (target: string) => SEND_KEY_PREFIX.destination + destinationOf(target),
  client: (client: string) => SEND_KEY_PREFIX.client + client,
};

const perMethodHourly = (methodId: string): Limit => ({ key: SEND_KEYS.method(methodId), max: 5, windowMs: HOUR });

/**
 * Across users: whoever registers someone else's number or address (or many accounts registering one)
 * reaches it at most 5 times an hour, the per-method rate, however many methods point at it.
 */
const perDestinationHourly = (target: string | null): Limit[] => (target ? [{ key: SEND_KEYS.destination(target), max: 5, windowMs: HOUR }] : []);

/** Reset codes per client (IPv4 address, IPv6 /64) per hour, email and SMS together, whoever they go to. */
const perClientHourly = (sender: Sender): Limit[] => (sender.purpose === "reset" ? [{ key: SEND_KEYS.client(sender.client), max: 20, windowMs: HOUR }] : []);

export const STRATEGIES: Record<MethodType, MethodStrategy> = {
  email: {
    kind: "code",
    maxPerUser: 5,
    codeMessage: codeEmail,
    sendLimits: (method, userId, sender) => [
      perMethodHourly(method.id),
      // Entra's 10 code emails per user per 10 minutes.
      { key: SEND_KEYS.userEmails(userId), max: 10, windowMs: 10 * MINUTE },
      // 20 registration emails a day: all 5 addresses with two resends each is 15; an account cannot be
      // used to send more than that (the 10-minute limit alone allows 1,440 a day).
      ...(sender.purpose === "registration" ? [{ key: SEND_KEYS.userEmailsDaily(userId), max: 20, windowMs: DAY }] : []),
      ...perDestinationHourly(method.target),
      ...perClientHourly(sender),
    ],
  },
  sms: {
    kind: "code",
    maxPerUser: 5,
    codeMessage: ({ to, orgName, code, minutes, locale }) => codeSms({ to, orgName, code, minutes, locale }),
    sendLimits: (method, userId, sender) => [
      perMethodHourly(method.id),
      // SMS costs money per message: 10 registration texts a day per user.
      ...(sender.purpose === "registration" ? [{ key: SEND_KEYS.userSmsDaily(userId), max: 10, windowMs: DAY }] : []),
      ...perDestinationHourly(method.target),
      ...perClientHourly(sender),
    ],
  },
  totp: { kind: "totp", maxPerUser: 5 },
  security_questions: { kind: "questions", maxPerUser: 1 },
};

export const strategyOf = (method: Pick<MethodRow, "type">): MethodStrategy => STRATEGIES[method.type];
