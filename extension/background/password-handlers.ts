import { fail, ok, type ApiResult } from "../api-client.js";
import { changeSignedOut } from "../change-password/change-signed-out.js";
import type { ChangePasswordView } from "../change-password/view.js";
import type { Handlers, Sender } from "../messaging.js";
import { changeOwnPassword, getMe } from "../registration-api.js";
import { fetchPublicConfig } from "../resets-api.js";
import { workerBaseUrl } from "./settings.js";
import { forgetTab, sessionOfTab } from "./signin-sessions.js";

/**
 * The change-password page's calls (issue 15). Opened from the sign-in prompt, the page's tab points
 * at that sign-in's session (a temporary or expired password gives one that can only do this);
 * opened from the popup it has none, and the background signs in with the typed username and current
 * password just for the change, then signs out. Either way the page never holds a token.
 */

async function load(sender: Sender): Promise<ApiResult<ChangePasswordView>> {
  const session = await sessionOfTab(sender.tab?.id);
  const base = session ? ok(session.baseUrl) : await workerBaseUrl();
  if (!base.ok) return base;
  const [config, me] = await Promise.all([fetchPublicConfig(base.value), session ? getMe(session.baseUrl, session.token) : null]);
  if (!config.ok) return config;
  if (!me?.ok) {
    // The prompt's session ended (expired, revoked): the page goes on as if opened from the popup.
    if (session) await forgetTab(sender.tab?.id);
    return ok({ config: config.value, account: null });
  }
  const { user } = me.value;
  const reason = user.mustChangePassword ? "temporary" : user.passwordExpired ? "expired" : null;
  return ok({ config: config.value, account: { username: user.username, displayName: user.displayName, reason } });
}

async function changeFromPopup(username: string, currentPassword: string, newPassword: string): Promise<ApiResult<null>> {
  const base = await workerBaseUrl();
  return base.ok ? changeSignedOut(base.value, username, currentPassword, newPassword) : base;
}

export const passwordHandlers: Handlers = {
  "password.load": (_, sender) => load(sender),

  "password.change": async ({ username, currentPassword, newPassword }, sender) => {
    const tabId = sender.tab?.id;
    const session = await sessionOfTab(tabId);
    if (!session) return username ? changeFromPopup(username, currentPassword, newPassword) : fail("unauthorized", "no sign-in for this page");
    const res = await changeOwnPassword(session.baseUrl, session.token, currentPassword, newPassword);
    // Done (the worker kept only this session, now revoked too), or the session is gone: let it go.
    if (res.ok || res.error.code === "unauthorized") await forgetTab(tabId);
    return res;
  },
};
