import { createApp } from "./app.js";
import { scheduledMaintenance } from "./maintenance/scheduled.js";

export { DirectoryHub } from "./directory/agent/directory-hub.js";

const app = createApp();

export default {
  fetch: app.fetch,
  // wrangler.toml `[triggers] crons`: audit rows past AUDIT_RETENTION_DAYS and expired rows are pruned.
  scheduled: (controller, env, ctx) => ctx.waitUntil(scheduledMaintenance(env, controller.scheduledTime)),
} satisfies ExportedHandler<Env>;
