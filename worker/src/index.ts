import { createApp } from "./app.js";
import { scheduledMaintenance } from "./maintenance/scheduled.js";

export { DirectoryHub } from "./directory/agent/directory-hub.js";

const app = createApp();

export default {
  fetch: app.fetch,
  // wrangler.toml `[triggers] crons`: expiry reminders sent, audit rows past AUDIT_RETENTION_DAYS and expired rows pruned.
  scheduled: (controller, env, ctx) => ctx.waitUntil(scheduledMaintenance(env, controller.scheduledTime, (p) => ctx.waitUntil(p))),
} satisfies ExportedHandler<Env>;
