import { ok } from "../api-client.js";
import type { Handlers } from "../messaging.js";
import { settingsHandlers } from "./settings-handlers.js";
import { scheduleSync } from "./signin-pages.js";

/**
 * The options page's "Enable sign-in prompts": which pages, which are granted, and a sync after the
 * user granted some. Each look at the policy also brings the registered content script up to date,
 * so an admin's new signInPages take effect when the user next opens the popup or the options page.
 */
export const accessHandlers: Handlers = {
  "access.get": async () => ok(await scheduleSync()),
  "access.sync": async () => ok(await scheduleSync()),
  "config.fetch": async (data, sender) => {
    const config = await settingsHandlers["config.fetch"]!(data, sender);
    if (config.ok) void scheduleSync(config.value.signInPages).catch(() => undefined);
    return config;
  },
};
