import { describe, expect, inject, it } from "vitest";
import { parseMailbox, smtpSender } from "../../worker/src/delivery/email-smtp.js";
import { mailHeaders } from "../../worker/src/delivery/headers.js";
import { codeEmail } from "../../worker/src/delivery/templates.js";

describe("SMTP delivery from workerd", () => {
  it("delivers a code email over a real SMTP connection (cloudflare:sockets)", async () => {
    const sender = smtpSender({ host: "127.0.0.1", port: inject("smtpPort"), security: "none", from: "Contoso IT <it@contoso.example>" });
    await sender.send(codeEmail({ to: "jane@contoso.example", orgName: "Contoso", code: "12345678", minutes: 10, purpose: "reset" }));
    const mailbox = (await (await fetch(inject("mailboxUrl"))).json()) as { from: string; to: string[]; data: string }[];
    const mail = mailbox.find((m) => m.to.includes("jane@contoso.example"));
    expect(mail).toBeDefined();
    expect(mail!.from).toBe("it@contoso.example");
    expect(mail!.data).toMatch(/^Subject: Contoso: your verification code/m);
    expect(mail!.data).toContain("12345678");
    expect(mail!.data).toContain("text/html");
  });

  const mailTo = async (to: string) => {
    const mailbox = (await (await fetch(inject("mailboxUrl"))).json()) as { from: string; to: string[]; data: string }[];
    return mailbox.filter((m) => m.to.includes(to));
  };
  const headerBlock = (data: string) => data.split("\r\n\r\n")[0]!;
  // RFC 2047 §6.2: the space between two adjacent encoded-words is not part of the text.
  const decodeWords = (value: string) =>
    value
      .replace(/\?=\s+=\?/g, "?==?")
      .replace(/=\?UTF-8\?B\?([A-Za-z0-9+/=]+)\?=/g, (_, b64: string) => new TextDecoder().decode(Uint8Array.from(atob(b64), (c) => c.charCodeAt(0))));

  it("adds no header for a CR/LF in the subject (issue 11)", async () => {
    const sender = smtpSender({ host: "127.0.0.1", port: inject("smtpPort"), security: "none", from: "Contoso IT <it@contoso.example>" });
    // Injected straight into the message, past the schemas that refuse such an org name.
    const message = codeEmail({ to: "inject@contoso.example", orgName: "Acme\r\nBcc: evil@evil.example\r\nX-Injected: yes\n", code: "12345678", minutes: 10, purpose: "reset" });
    await sender.send(message);
    const [mail] = await mailTo("inject@contoso.example");
    expect(mail!.to).toEqual(["inject@contoso.example"]);
    const headers = headerBlock(mail!.data);
    expect(headers).not.toMatch(/^(Bcc|X-Injected):/im);
    expect(headers).toMatch(/^Subject: Acme Bcc: evil@evil\.example X-Injected: yes : your verification code\r?$/m);
    expect((await mailTo("evil@evil.example")).length).toBe(0);
  });

  it("builds every header on one line, whatever the name, subject or address holds", () => {
    const headers = mailHeaders({ from: { name: 'IT "Desk"\r\nBcc: evil@evil.example', email: "it@contoso.example" }, to: "jane@contoso.example", subject: "Hi\u2028Bcc: x\u0000" });
    expect(headers).toEqual({ From: '"IT \\"Desk\\" Bcc: evil@evil.example" <it@contoso.example>', To: "jane@contoso.example", Subject: "Hi Bcc: x" });
    expect(() => mailHeaders({ from: { email: "it@contoso.example\r\nBcc: evil@evil.example" }, to: "jane@contoso.example", subject: "Hi" })).toThrow();
  });

  it("encodes a non-ASCII subject and sender name as RFC 2047 words", async () => {
    const orgName = "Société Générale — Büro Zürich ✓ ".repeat(3).trim();
    const sender = smtpSender({ host: "127.0.0.1", port: inject("smtpPort"), security: "none", from: "Équipe IT <it@contoso.example>" });
    await sender.send(codeEmail({ to: "utf8@contoso.example", orgName, code: "12345678", minutes: 10, purpose: "reset" }));
    const [mail] = await mailTo("utf8@contoso.example");
    const headers = headerBlock(mail!.data);
    expect(headers).toMatch(/^[\x20-\x7e\r\n]*$/);
    const subject = /^Subject: (.*)\r?$/m.exec(headers)![1]!;
    for (const word of subject.split(" ")) expect(word.length).toBeLessThanOrEqual(75);
    expect(decodeWords(subject)).toBe(`${orgName}: your verification code`);
    expect(decodeWords(/^From: (.*)\r?$/m.exec(headers)![1]!)).toBe("Équipe IT <it@contoso.example>");
  });

  it("sends nothing to an address that could add a recipient or an SMTP command", async () => {
    const sender = smtpSender({ host: "127.0.0.1", port: inject("smtpPort"), security: "none", from: "it@contoso.example" });
    for (const to of ["victim@contoso.example>\r\nRCPT TO:<evil2@evil.example", "victim@contoso.example, evil2@evil.example"]) {
      await expect(sender.send(codeEmail({ to, orgName: "Contoso", code: "12345678", minutes: 10, purpose: "reset" }))).rejects.toThrow();
    }
    expect((await mailTo("evil2@evil.example")).length).toBe(0);
  });

  it.each([
    ["Contoso IT <it@contoso.example>", { name: "Contoso IT", email: "it@contoso.example" }],
    ["<it@contoso.example>", { email: "it@contoso.example" }],
    ["it@contoso.example", { email: "it@contoso.example" }],
  ])("parses the sender %s", (value, expected) => {
    expect(parseMailbox(value)).toEqual(expected);
  });
});

describe("HTTP delivery providers", () => {
  const recorded = async () => (await (await fetch(`${inject("mailboxUrl")}requests`)).json()) as { url: string; authorization: string; contentType: string; body: string }[];

  it("texts through a Twilio-compatible Messages API", async () => {
    const { twilioSender } = await import("../../worker/src/delivery/sms-twilio.js");
    const { codeSms } = await import("../../worker/src/delivery/templates.js");
    await twilioSender({ apiBase: inject("mailboxUrl").replace(/\/$/, ""), accountSid: "AC123", authToken: "secret-token", from: "+15005550006" }).send(
      codeSms({ to: "+14155552671", orgName: "Contoso", code: "87654321", minutes: 10 }),
    );
    const call = (await recorded()).find((r) => r.url === "/2010-04-01/Accounts/AC123/Messages.json");
    expect(call).toBeDefined();
    expect(call!.authorization).toBe(`Basic ${btoa("AC123:secret-token")}`);
    expect(call!.contentType).toBe("application/x-www-form-urlencoded");
    const form = new URLSearchParams(call!.body);
    expect(form.get("To")).toBe("+14155552671");
    expect(form.get("From")).toBe("+15005550006");
    expect(form.get("Body")).toContain("87654321");
  });

  it("emails through a Resend-shaped API and reports a provider failure", async () => {
    const { httpEmailSender } = await import("../../worker/src/delivery/email-http.js");
    const message = codeEmail({ to: "sam@contoso.example", orgName: "Contoso", code: "11223344", minutes: 10, purpose: "registration" });
    await httpEmailSender({ url: `${inject("mailboxUrl")}emails`, apiKey: "re_key", from: "it@contoso.example" }).send(message);
    const call = (await recorded()).find((r) => r.url === "/emails");
    expect(call!.authorization).toBe("Bearer re_key");
    expect(JSON.parse(call!.body)).toMatchObject({ from: "it@contoso.example", to: ["sam@contoso.example"], subject: "Contoso: your verification code" });
    await expect(httpEmailSender({ url: `${inject("mailboxUrl")}fail`, apiKey: "re_key", from: "it@contoso.example" }).send(message)).rejects.toThrow("500");
  });

  it("hands an email API a subject on one line", async () => {
    const { httpEmailSender } = await import("../../worker/src/delivery/email-http.js");
    const message = codeEmail({ to: "crlf@contoso.example", orgName: "Acme\r\nBcc: evil@evil.example", code: "11223344", minutes: 10, purpose: "registration" });
    await httpEmailSender({ url: `${inject("mailboxUrl")}emails`, apiKey: "re_key", from: "it@contoso.example" }).send(message);
    const call = (await recorded()).find((r) => r.url === "/emails" && r.body.includes("crlf@contoso.example"));
    expect(JSON.parse(call!.body).subject).toBe("Acme Bcc: evil@evil.example: your verification code");
  });
});

describe("delivery failure", () => {
  it("is recorded in the audit log after the response, and nothing else is undone", async () => {
    const { env } = await import("cloudflare:workers");
    const { drizzle } = await import("drizzle-orm/d1");
    const { sendLater } = await import("../../worker/src/delivery/deliver.js");
    const pending: Promise<unknown>[] = [];
    const brokenSmtp = { ...env, EMAIL_TRANSPORT: "smtp", SMTP_HOST: "127.0.0.1", SMTP_PORT: "1", SMTP_SECURITY: "none" } as Env;
    const db = drizzle(env.DB) as never;
    sendLater({ env: brokenSmtp, db, now: Date.now(), userId: "usr_delivery_test", waitUntil: (p) => pending.push(p) }, [
      codeEmail({ to: "nobody@contoso.example", orgName: "Contoso", code: "12345678", minutes: 10, purpose: "reset" }),
    ]);
    await Promise.all(pending);
    const row = await env.DB.prepare("select type, outcome, detail from audit_events where subject_id = 'usr_delivery_test'").first<{ type: string; outcome: string; detail: string }>();
    expect(row).toMatchObject({ type: "method.delivery_failed", outcome: "failure" });
    expect(JSON.parse(row!.detail).channel).toBe("email");
    expect(row!.detail).not.toContain("12345678");
  });
});
