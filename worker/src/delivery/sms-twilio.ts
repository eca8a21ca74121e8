import type { Message, SmsSender } from "./message.js";

export interface TwilioConfig {
  apiBase: string;
  accountSid: string;
  authToken: string;
  from: string;
}

/** Twilio's Messages API (and Twilio-compatible providers that accept the same request). */
export function twilioSender(config: TwilioConfig): SmsSender {
  return {
    async send(message: Message) {
      const url = `${config.apiBase}/2010-04-01/Accounts/${encodeURIComponent(config.accountSid)}/Messages.json`;
      const response = await fetch(url, {
        method: "POST",
        headers: {
          authorization: `Basic ${btoa(`${config.accountSid}:${config.authToken}`)}`,
          "content-type": "application/x-www-form-urlencoded",
        },
        body: new URLSearchParams({ To: message.to, From: config.from, Body: message.text }),
      });
      if (!response.ok) throw new Error(`SMS API answered ${response.status}`);
    },
  };
}
