import { httpEmailSender } from "./email-http.js";
import { smtpSender } from "./email-smtp.js";
import type { EmailSender, SmsSender } from "./message.js";
import { twilioSender } from "./sms-twilio.js";

const DEFAULT_FROM = "OpenSSPR <no-reply@opensspr.invalid>";

/** The email transport named by EMAIL_TRANSPORT ("smtp", "http" or "none"); null sends nothing. */
export function emailSender(env: Env): EmailSender | null {
  const from = env.EMAIL_FROM || DEFAULT_FROM;
  switch (env.EMAIL_TRANSPORT) {
    case "smtp":
      if (!env.SMTP_HOST) throw new Error("EMAIL_TRANSPORT=smtp needs SMTP_HOST");
      return smtpSender({
        host: env.SMTP_HOST,
        port: Number(env.SMTP_PORT || 587),
        security: env.SMTP_SECURITY === "tls" || env.SMTP_SECURITY === "none" ? env.SMTP_SECURITY : "starttls",
        username: env.SMTP_USERNAME,
        password: env.SMTP_PASSWORD,
        from,
      });
    case "http":
      if (!env.EMAIL_API_KEY) throw new Error("EMAIL_TRANSPORT=http needs EMAIL_API_KEY");
      return httpEmailSender({ url: env.EMAIL_API_URL || "https://api.resend.com/emails", apiKey: env.EMAIL_API_KEY, from });
    default:
      return null;
  }
}

/** The SMS transport named by SMS_TRANSPORT ("twilio" or "none"); null sends nothing. */
export function smsSender(env: Env): SmsSender | null {
  if (env.SMS_TRANSPORT !== "twilio") return null;
  if (!env.TWILIO_ACCOUNT_SID || !env.TWILIO_AUTH_TOKEN || !env.TWILIO_FROM) {
    throw new Error("SMS_TRANSPORT=twilio needs TWILIO_ACCOUNT_SID, TWILIO_AUTH_TOKEN and TWILIO_FROM");
  }
  return twilioSender({
    apiBase: env.TWILIO_API_BASE || "https://api.twilio.com",
    accountSid: env.TWILIO_ACCOUNT_SID,
    authToken: env.TWILIO_AUTH_TOKEN,
    from: env.TWILIO_FROM,
  });
}
