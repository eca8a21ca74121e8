/** What the flows hand to delivery: one message to one recipient on one channel. */
export interface Message {
  channel: "email" | "sms";
  to: string;
  subject: string;
  text: string;
  html?: string;
  /** Development only: the code the message carries, so tests and the dev outbox can read it. */
  code?: string;
}

export interface EmailSender {
  send(message: Message): Promise<void>;
}

export interface SmsSender {
  send(message: Message): Promise<void>;
}
