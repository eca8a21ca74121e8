/**
 * Real delivery peers for the worker tests (vitest globalSetup, in Node): an SMTP server that accepts every
 * message, and an HTTP server that records API calls (the SMS and email-API providers' shape). GET /
 * returns the SMTP mailbox, GET /requests the recorded API calls, so tests inside workerd can read them.
 */
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { SMTPServer } from "smtp-server";
import type { TestProject } from "vitest/node";

declare module "vitest" {
  export interface ProvidedContext {
    smtpPort: number;
    mailboxUrl: string;
  }
}

export default async function setup(project: TestProject) {
  const received: { from: string; to: string[]; data: string }[] = [];
  const smtp = new SMTPServer({
    authOptional: true,
    disabledCommands: ["STARTTLS", "AUTH"],
    onData(stream, session, callback) {
      let data = "";
      stream.on("data", (chunk: Buffer) => (data += chunk.toString("utf8")));
      stream.on("end", () => {
        received.push({ from: session.envelope.mailFrom ? session.envelope.mailFrom.address : "", to: session.envelope.rcptTo.map((r) => r.address), data });
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => smtp.listen(0, "127.0.0.1", resolve));
  const requests: { method: string; url: string; authorization: string; contentType: string; body: string }[] = [];
  const mailbox = createServer((req, res) => {
    res.setHeader("content-type", "application/json");
    if (req.method === "GET") {
      res.end(JSON.stringify(req.url === "/requests" ? requests : received));
      return;
    }
    let body = "";
    req.on("data", (chunk: Buffer) => (body += chunk.toString("utf8")));
    req.on("end", () => {
      requests.push({ method: req.method ?? "", url: req.url ?? "", authorization: req.headers.authorization ?? "", contentType: req.headers["content-type"] ?? "", body });
      res.statusCode = req.url?.includes("fail") ? 500 : 201;
      res.end(JSON.stringify({ sid: "SM123", id: "email_123" }));
    });
  });
  await new Promise<void>((resolve) => mailbox.listen(0, "127.0.0.1", resolve));
  project.provide("smtpPort", (smtp.server.address() as AddressInfo).port);
  project.provide("mailboxUrl", `http://127.0.0.1:${(mailbox.address() as AddressInfo).port}/`);
  return async () => {
    await new Promise<void>((resolve) => smtp.close(() => resolve()));
    await new Promise<void>((resolve) => mailbox.close(() => resolve()));
  };
}
