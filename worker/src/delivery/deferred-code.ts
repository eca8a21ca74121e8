import type { Locale } from "../../../shared/locale.js";
import { STRATEGIES } from "../methods/strategy.js";

/**
 * Development only. A reset challenge decides in its one D1 batch whether a code goes out and in which
 * language (the user's locale, else the policy's default), before the flow's JS knows the user. Its dev
 * outbox row therefore holds the code message's inputs, not its text: `subject` is this mark and `body`
 * the JSON of { locale, orgName, minutes, purpose }, and GET /v1/dev/outbox renders the message with
 * the template the transport uses. (Rendering it in the batch meant sending the message in every
 * language and channel with each request, 7.8 KB bound per challenge, which alone cost local D1 about
 * 0.3 ms: issue 13.)
 */
export const RENDER_ON_READ = "\u0000code message";

interface OutboxRow {
  channel: "email" | "sms";
  to: string;
  subject: string;
  body: string;
  code: string | null;
}

/** The subject and body the outbox shows for a row: as stored, or rendered from a deferred code message's inputs. */
export function outboxContent(row: OutboxRow): { subject: string; body: string } {
  if (row.subject !== RENDER_ON_READ || row.code === null) return { subject: row.subject, body: row.body };
  const o = JSON.parse(row.body) as { locale: Locale; orgName: string; minutes: number; purpose: "registration" | "reset" };
  const message = STRATEGIES[row.channel].codeMessage!({ to: row.to, orgName: o.orgName, code: row.code, minutes: o.minutes, purpose: o.purpose, locale: o.locale });
  return { subject: message.subject, body: message.text };
}
