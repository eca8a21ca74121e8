import { WorkerMailer } from "worker-mailer";
import { mailHeaders } from "./headers.js";
import type { EmailSender, Message } from "./message.js";

export interface SmtpConfig {
  host: string;
  port: number;
  security: "tls" | "starttls" | "none";
  username?: string;
  password?: string;
  from: string;
}

/** "Name <address>" or a bare address, as worker-mailer wants it (it puts a string as-is into MAIL FROM). */
export function parseMailbox(value: string): { name?: string; email: string } {
  const match = /^\s*(.*?)\s*<([^<>\s]+@[^<>\s]+)>\s*$/.exec(value);
  if (!match) return { email: value.trim() };
  return match[1] ? { name: match[1].replace(/^"|"$/g, ""), email: match[2]! } : { email: match[2]! };
}

/** SMTP from inside a Worker: worker-mailer speaks SMTP over `cloudflare:sockets`. */
export function smtpSender(config: SmtpConfig): EmailSender {
  return {
    async send(message: Message) {
      const from = parseMailbox(config.from);
      // worker-mailer uses headers given here instead of building its own from the raw values (which it
      // writes unencoded when they are ASCII, CR and LF included). mailHeaders has refused any address
      // that is not plain, so the envelope (MAIL FROM, RCPT TO) gets only checked ones.
      const headers = mailHeaders({ from, to: message.to, subject: message.subject });
      await WorkerMailer.send(
        {
          host: config.host,
          port: config.port,
          secure: config.security === "tls",
          startTls: config.security === "starttls",
          ...(config.username && config.password ? { credentials: { username: config.username, password: config.password } } : {}),
          socketTimeoutMs: 10_000,
          responseTimeoutMs: 10_000,
        },
        {
          from: { email: from.email },
          to: headers.To,
          subject: headers.Subject,
          headers,
          text: message.text,
          ...(message.html ? { html: message.html } : {}),
        },
      );
    },
  };
}
