import type { Handlers } from "../messaging.js";
import { resetFlow } from "../reset-flow.js";
import { resetSessionStore } from "../storage.js";
import { workerBaseUrl } from "./settings.js";

const flow = resetFlow(workerBaseUrl, resetSessionStore);

/** The popup's reset, run here so its token stays in the background (storage.session). */
export const resetHandlers: Handlers = {
  "reset.start": (input) => flow.start(input),
  "reset.resume": () => flow.resume(),
  "reset.challenge": (input) => flow.challenge(input),
  "reset.verify": (input) => flow.verify(input),
  "reset.password": (input) => flow.setPassword(input),
  "reset.unlock": () => flow.unlock(),
  "reset.cancel": () => flow.cancel(),
};
