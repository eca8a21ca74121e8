import { ok } from "../api-client.js";
import type { Handlers } from "../messaging.js";
import { fetchConfig, resolveSettings, saveWorkerUrl } from "./settings.js";

export const settingsHandlers: Handlers = {
  "settings.get": async () => ok(await resolveSettings()),
  "settings.save": ({ url }) => saveWorkerUrl(url),
  "config.fetch": () => fetchConfig(),
};
