import { fail, ok } from "../../extension/api-client.js";
import type { ChangePasswordClient } from "../../extension/change-password/change-client.js";
import { changeSignedOut } from "../../extension/change-password/change-signed-out.js";
import { fetchPublicConfig } from "../../extension/resets-api.js";
import { leavePage, SAME_ORIGIN } from "./same-origin.js";

/**
 * The web change-password page: no one is signed in, so the user types their username and current
 * password (temporary and expired ones included), and the session lives only for the change.
 */
export const webChangeClient: ChangePasswordClient = {
  async load() {
    const config = await fetchPublicConfig(SAME_ORIGIN);
    return config.ok ? ok({ config: config.value, account: null }) : config;
  },
  change: ({ username, currentPassword, newPassword }) =>
    username ? changeSignedOut(SAME_ORIGIN, username, currentPassword, newPassword) : Promise.resolve(fail("unauthorized", "no username")),
  close: async () => leavePage(),
};
