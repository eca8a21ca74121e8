import { createRoute, z } from "@hono/zod-openapi";
import { desc, eq } from "drizzle-orm";
import { createMiddleware } from "hono/factory";
import { iso, setClockOffset } from "../clock.js";
import type { AppEnv } from "../context.js";
import { isDevelopment } from "../context.js";
import { devOutbox, policies } from "../db/schema.js";
import { outboxContent } from "../delivery/deferred-code.js";
import { notFound } from "../errors.js";
import { json, jsonBody, router } from "./openapi.js";

/** Outside development these routes do not exist (404, as for any unknown path). */
const developmentOnly = createMiddleware<AppEnv>(async (c, next) => {
  if (!isDevelopment(c.env)) throw notFound();
  await next();
});

const outboxMessage = z.object({
  id: z.string(),
  channel: z.enum(["email", "sms"]),
  to: z.string(),
  subject: z.string(),
  body: z.string(),
  code: z.string().nullable(),
  sentAt: z.string(),
});

const dev = router();
dev.use("/v1/dev/*", developmentOnly);

export const devRoutes = dev
  .openapi(
    createRoute({
      method: "get",
      path: "/v1/dev/outbox",
      summary: "Development only: messages sent, newest first",
      request: { query: z.strictObject({ to: z.string().max(320).optional() }) },
      responses: { 200: json(z.object({ messages: z.array(outboxMessage) })) },
    }),
    async (c) => {
      const { to } = c.req.valid("query");
      const db = c.get("db");
      const base = db.select().from(devOutbox);
      const rows = await (to ? base.where(eq(devOutbox.to, to.trim().toLowerCase())) : base).orderBy(desc(devOutbox.seq)).limit(200);
      const messages = rows.map((r) => ({ id: String(r.seq), channel: r.channel, to: r.to, ...outboxContent(r), code: r.code, sentAt: iso(r.sentAt) }));
      return c.json({ messages }, 200);
    },
  )
  .openapi(
    createRoute({
      method: "post",
      path: "/v1/dev/clock",
      summary: "Development only: set the worker clock's offset (0 restores real time)",
      request: jsonBody(z.strictObject({ offsetSeconds: z.number().int().min(-31_536_000).max(315_360_000) })),
      responses: { 200: json(z.object({ now: z.string() })) },
    }),
    (c) => c.json({ now: iso(setClockOffset(c.req.valid("json").offsetSeconds)) }, 200),
  )
  .openapi(
    createRoute({
      method: "get",
      path: "/v1/dev/baseline",
      summary: "Development only: a bare route reading one D1 row, the benchmark's yardstick",
      responses: { 200: json(z.object({ version: z.number().nullable() })) },
    }),
    async (c) => {
      const [row] = await c.get("db").select({ version: policies.version }).from(policies).limit(1);
      return c.json({ version: row?.version ?? null }, 200);
    },
  );
