import { oneLine, plainAddress } from "./headers.js";
import type { EmailSender, Message } from "./message.js";

export interface HttpEmailConfig {
  /** Resend's API shape (`POST /emails`, bearer key); providers with the same shape work too. */
  url: string;
  apiKey: string;
  from: string;
}

export function httpEmailSender(config: HttpEmailConfig): EmailSender {
  return {
    async send(message: Message) {
      const response = await fetch(config.url, {
        method: "POST",
        headers: { authorization: `Bearer ${config.apiKey}`, "content-type": "application/json" },
        // JSON carries a CR or LF safely, but the provider copies these into headers: the same rules as SMTP
        // (the provider does its own RFC 2047 encoding, so non-ASCII stays as it is here).
        body: JSON.stringify({ from: oneLine(config.from), to: [plainAddress(message.to)], subject: oneLine(message.subject), text: message.text, html: message.html }),
      });
      if (!response.ok) throw new Error(`email API answered ${response.status}`);
    },
  };
}
