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
  codeMessage?: (o: { to: string; orgName: string; code: string; minutes: number; purpose: "registration" | "reset" }) => Message;
  /** Code strategies: the send limits for this method and user (spec §6). */
  sendLimits?: (methodId: string, userId: string) => Limit[];
}

const HOUR = 3_600_000;

export const SEND_KEYS = {
  method: (methodId: string) => `send:method:${methodId}`,
  userEmails: (userId: string) => `send:email:${userId}`,
};

const perMethodHourly = (methodId: string): Limit => ({ key: SEND_KEYS.method(methodId), max: 5, windowMs: HOUR });

export const STRATEGIES: Record<MethodType, MethodStrategy> = {
  email: {
    kind: "code",
    maxPerUser: 5,
    codeMessage: codeEmail,
    // Entra's 10 code emails per user per 10 minutes, on top of 5 codes per method per hour.
    sendLimits: (methodId, userId) => [perMethodHourly(methodId), { key: SEND_KEYS.userEmails(userId), max: 10, windowMs: 600_000 }],
  },
  sms: {
    kind: "code",
    maxPerUser: 5,
    codeMessage: ({ to, orgName, code, minutes }) => codeSms({ to, orgName, code, minutes }),
    sendLimits: (methodId) => [perMethodHourly(methodId)],
  },
  totp: { kind: "totp", maxPerUser: 5 },
  security_questions: { kind: "questions", maxPerUser: 1 },
};

export const strategyOf = (method: Pick<MethodRow, "type">): MethodStrategy => STRATEGIES[method.type];
