import { sendMessage } from "../messaging.js";
import type { ResetsClient } from "./resets-client.js";

/** The popup's wizard: every call goes to the background, which alone holds the reset token. */
export const backgroundResetsClient: ResetsClient = {
  config: () => sendMessage("config.fetch"),
  async managedOrgName() {
    const settings = await sendMessage("settings.get");
    return settings.ok ? settings.value.managedOrgName : null;
  },
  resume: () => sendMessage("reset.resume"),
  start: (input) => sendMessage("reset.start", input),
  challenge: (input) => sendMessage("reset.challenge", input),
  verify: (input) => sendMessage("reset.verify", input),
  setPassword: (input) => sendMessage("reset.password", input),
  unlock: () => sendMessage("reset.unlock"),
  cancel: () => sendMessage("reset.cancel"),
};
