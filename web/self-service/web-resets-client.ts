import { ok } from "../../extension/api-client.js";
import { resetFlow } from "../../extension/reset-flow.js";
import { fetchPublicConfig } from "../../extension/resets-api.js";
import type { ResetsClient, WizardHost } from "../../extension/wizard/resets-client.js";
import { leavePage, SAME_ORIGIN, sessionResetStore } from "./same-origin.js";

/** The web reset page's wizard: the same reset flow as the extension's background, run in the page. */
export const webResetsClient: ResetsClient = {
  config: () => fetchPublicConfig(SAME_ORIGIN),
  managedOrgName: async () => null,
  ...resetFlow(async () => ok(SAME_ORIGIN), sessionResetStore),
};

export const webWizardHost: WizardHost = {
  close: leavePage,
  openChangePassword: () => location.assign("/change-password"),
};
