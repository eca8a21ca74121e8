import { ADMIN_METHODS_AVAILABLE } from "../../shared/policy/method-types.js";
import { fail, ok, type ApiResult } from "../api-client.js";
import type { Handlers, Sender } from "../messaging.js";
import {
  addMethod,
  confirmRegistration,
  getMe,
  getQuestions,
  putAnswers,
  reauthenticate,
  removeMethod,
  resendCode,
  verifyMethod,
} from "../registration-api.js";
import type { RegistrationView } from "../registration/view.js";
import { fetchPublicConfig } from "../resets-api.js";
import type { SignInSession } from "../storage.js";
import { closeResolvedPrompts } from "./resolved-prompts.js";
import { forgetTab, sessionOfTab } from "./signin-sessions.js";

/**
 * The registration page's calls. The page holds no token: it is the tab the prompt opened, and the
 * background acts with that sign-in's session. A 401 means the session ended (expired, revoked by a
 * password reset): forget it, and the page asks the user to sign in again.
 */

async function withSession<T>(sender: Sender, run: (s: SignInSession) => Promise<ApiResult<T>>): Promise<ApiResult<T>> {
  const tabId = sender.tab?.id;
  const session = await sessionOfTab(tabId);
  if (!session) return fail("unauthorized", "no sign-in for this page");
  const res = await run(session);
  if (!res.ok && res.error.code === "unauthorized") await forgetTab(tabId);
  return res;
}

const isAdmin = (roles: readonly string[]) => roles.includes("global_admin") || roles.includes("password_admin");

export const registrationHandlers: Handlers = {
  "registration.load": (_, sender) =>
    withSession(sender, async (s) => {
      const [me, config] = await Promise.all([getMe(s.baseUrl, s.token), fetchPublicConfig(s.baseUrl)]);
      if (!me.ok) return me;
      if (!config.ok) return config;
      await closeResolvedPrompts(s, me.value.registration, sender.tab?.id);
      const admin = isAdmin(me.value.user.roles);
      const view: RegistrationView = {
        user: { username: me.value.user.username, displayName: me.value.user.displayName, admin },
        registration: me.value.registration,
        // Admins use the fixed two-gate policy (spec §4): never security questions.
        available: admin ? [...ADMIN_METHODS_AVAILABLE] : config.value.methods.available,
        numberToRegister: config.value.securityQuestions.numberToRegister,
        orgName: config.value.orgName,
        helpdesk: config.value.helpdesk,
      };
      return ok(view);
    }),
  "registration.add": (body, sender) => withSession(sender, (s) => addMethod(s.baseUrl, s.token, body)),
  "registration.verify": ({ methodId, code }, sender) => withSession(sender, (s) => verifyMethod(s.baseUrl, s.token, methodId, code)),
  "registration.resend": ({ methodId }, sender) => withSession(sender, (s) => resendCode(s.baseUrl, s.token, methodId)),
  "registration.remove": ({ methodId }, sender) => withSession(sender, (s) => removeMethod(s.baseUrl, s.token, methodId)),
  "registration.questions": (_, sender) => withSession(sender, (s) => getQuestions(s.baseUrl, s.token)),
  "registration.answer": ({ answers }, sender) => withSession(sender, (s) => putAnswers(s.baseUrl, s.token, answers)),
  "registration.reauth": ({ password }, sender) => withSession(sender, (s) => reauthenticate(s.baseUrl, s.token, password)),
  "registration.confirm": (_, sender) =>
    withSession(sender, async (s) => {
      const confirmed = await confirmRegistration(s.baseUrl, s.token);
      if (confirmed.ok) await closeResolvedPrompts(s, confirmed.value, sender.tab?.id);
      return confirmed;
    }),
  /** The user is done: the page lets go of the session, which is then revoked. */
  "registration.end": async (_, sender) => {
    await forgetTab(sender.tab?.id);
    return ok(null);
  },
};
