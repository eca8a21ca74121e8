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
        body: JSON.stringify({ from: config.from, to: [message.to], subject: message.subject, text: message.text, html: message.html }),
      });
      if (!response.ok) throw new Error(`email API answered ${response.status}`);
    },
  };
}
