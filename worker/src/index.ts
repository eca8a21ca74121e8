import { scheduledAuditPrune } from "./admin/retention.js";
import { createApp } from "./app.js";

const app = createApp();

export default {
  fetch: app.fetch,
  // wrangler.toml `[triggers] crons`: audit rows older than AUDIT_RETENTION_DAYS are pruned.
  scheduled: (controller, env, ctx) => ctx.waitUntil(scheduledAuditPrune(env, controller.scheduledTime)),
} satisfies ExportedHandler<Env>;
