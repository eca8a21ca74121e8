import type { Reset } from "../../shared/api/resets.js";
import { fail, ok, type ApiResult, type ClientErrorCode } from "../api-client.js";
import type { Handlers, PublicReset } from "../messaging.js";
import { getReset, requestChallenge, setResetPassword, startReset, unlockAccount, verifyReset } from "../resets-api.js";
import { resetSessionStore, type ResetSession } from "../storage.js";
import { workerBaseUrl } from "./settings.js";

/** Answers after which this reset can never continue: forget its token at once. */
const TERMINAL: ReadonlySet<ClientErrorCode> = new Set(["reset_expired", "reset_blocked", "reset_completed", "unauthorized", "unlock_not_allowed"]);

const withoutToken = ({ resetToken: _token, ...reset }: Reset): PublicReset => reset;

async function forgetIfTerminal<T>(result: ApiResult<T>): Promise<ApiResult<T>> {
  if (!result.ok && TERMINAL.has(result.error.code)) await resetSessionStore.clear();
  return result;
}

/** Runs a call that needs the reset token; without a stored reset the popup must start over. */
async function withSession<T>(run: (s: ResetSession) => Promise<ApiResult<T>>): Promise<ApiResult<T>> {
  const session = await resetSessionStore.get();
  if (!session) return fail("reset_expired", "no reset in progress");
  return forgetIfTerminal(await run(session));
}

export const resetHandlers: Handlers = {
  "reset.start": async ({ username, purpose }) => {
    const base = await workerBaseUrl();
    if (!base.ok) return base;
    await resetSessionStore.clear();
    const res = await startReset(base.value, username, purpose);
    if (!res.ok) return res;
    if (res.value.status === "unavailable") return ok({ kind: "unavailable", helpdesk: res.value.helpdesk });
    const { resetId, resetToken } = res.value;
    if (!resetToken) return fail("bad_response", "a new reset without its token");
    await resetSessionStore.set({ baseUrl: base.value, resetId, resetToken, username, challenge: null });
    return ok({ kind: "reset", reset: withoutToken(res.value) });
  },

  "reset.resume": async () => {
    const session = await resetSessionStore.get();
    if (!session) return ok(null);
    const res = await forgetIfTerminal(await getReset(session.baseUrl, session.resetId, session.resetToken));
    if (!res.ok) return TERMINAL.has(res.error.code) ? ok(null) : res;
    return ok({ username: session.username, reset: withoutToken(res.value), challenge: session.challenge });
  },

  "reset.challenge": ({ methodId }) =>
    withSession(async (s) => {
      const res = await requestChallenge(s.baseUrl, s.resetId, s.resetToken, methodId);
      if (res.ok) await resetSessionStore.set({ ...s, challenge: res.value });
      return res;
    }),

  "reset.verify": (input) =>
    withSession(async (s) => {
      const res = await verifyReset(s.baseUrl, s.resetId, s.resetToken, input);
      if (!res.ok) return res;
      await resetSessionStore.set({ ...s, challenge: null });
      return ok(withoutToken(res.value));
    }),

  "reset.password": ({ newPassword }) =>
    withSession(async (s) => {
      const res = await setResetPassword(s.baseUrl, s.resetId, s.resetToken, newPassword);
      if (!res.ok) return res;
      await resetSessionStore.clear();
      return ok(withoutToken(res.value));
    }),

  "reset.unlock": () =>
    withSession(async (s) => {
      const res = await unlockAccount(s.baseUrl, s.resetId, s.resetToken);
      if (!res.ok) return res;
      await resetSessionStore.clear();
      return ok(withoutToken(res.value));
    }),

  "reset.cancel": async () => {
    await resetSessionStore.clear();
    return ok(null);
  },
};
