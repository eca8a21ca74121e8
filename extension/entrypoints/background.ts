import { defineBackground } from "wxt/utils/define-background";
import { resetHandlers } from "../background/reset-handlers.js";
import { settingsHandlers } from "../background/settings-handlers.js";
import { onMessages } from "../messaging.js";

// The only context that calls the worker: pages ask it by message, so the reset token never leaves it.
export default defineBackground(() => {
  onMessages({ ...settingsHandlers, ...resetHandlers });
});
