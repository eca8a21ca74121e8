import type { Reset } from "../shared/api/resets.js";
import { fail, ok, type ApiResult, type ClientErrorCode } from "./api-client.js";
import type { PublicReset, ResumeState, StartOutcome } from "./messaging.js";
import { getReset, requestChallenge, setResetPassword, startReset, unlockAccount, verifyReset, type Challenge, type ResetPurpose, type VerifyInput } from "./resets-api.js";
import type { ResetSession } from "./storage.js";

/**
 * A reset from start to end, holding its token so the pages never see it: the extension's background
 * runs it with storage.session, the worker's web reset page with the tab's sessionStorage. Both keep
 * the reset across a closed popup or a reload, and forget it once it can't go on.
 */

/** Where the reset in progress is kept. */
export interface ResetStore {
  get(): Promise<ResetSession | null>;
  set(value: ResetSession): Promise<void>;
  clear(): Promise<void>;
}

/** What a wizard can ask of a reset; the extension's pages ask it through background messages. */
export interface ResetFlow {
  resume(): Promise<ApiResult<ResumeState | null>>;
  start(input: { username: string; purpose: ResetPurpose }): Promise<ApiResult<StartOutcome>>;
  challenge(input: { methodId: string }): Promise<ApiResult<Challenge>>;
  verify(input: VerifyInput): Promise<ApiResult<PublicReset>>;
  setPassword(input: { newPassword: string }): Promise<ApiResult<PublicReset>>;
  unlock(): Promise<ApiResult<PublicReset>>;
  cancel(): Promise<ApiResult<null>>;
}

/** Answers after which this reset can never continue: forget its token at once. */
const TERMINAL: ReadonlySet<ClientErrorCode> = new Set(["reset_expired", "reset_blocked", "reset_completed", "unauthorized", "unlock_not_allowed"]);

const withoutToken = ({ resetToken: _token, ...reset }: Reset): PublicReset => reset;

export function resetFlow(workerBaseUrl: () => Promise<ApiResult<string>>, store: ResetStore): ResetFlow {
  async function forgetIfTerminal<T>(result: ApiResult<T>): Promise<ApiResult<T>> {
    if (!result.ok && TERMINAL.has(result.error.code)) await store.clear();
    return result;
  }

  /** Runs a call that needs the reset token; without a stored reset the wizard must start over. */
  async function withSession<T>(run: (s: ResetSession) => Promise<ApiResult<T>>): Promise<ApiResult<T>> {
    const session = await store.get();
    if (!session) return fail("reset_expired", "no reset in progress");
    return forgetIfTerminal(await run(session));
  }

  return {
    async start({ username, purpose }) {
      const base = await workerBaseUrl();
      if (!base.ok) return base;
      await store.clear();
      const res = await startReset(base.value, username, purpose);
      if (!res.ok) return res;
      if (res.value.status === "unavailable") return ok({ kind: "unavailable", helpdesk: res.value.helpdesk });
      const { resetId, resetToken } = res.value;
      if (!resetToken) return fail("bad_response", "a new reset without its token");
      await store.set({ baseUrl: base.value, resetId, resetToken, username, challenge: null });
      return ok({ kind: "reset", reset: withoutToken(res.value) });
    },

    async resume() {
      const session = await store.get();
      if (!session) return ok(null);
      const res = await forgetIfTerminal(await getReset(session.baseUrl, session.resetId, session.resetToken));
      if (!res.ok) return TERMINAL.has(res.error.code) ? ok(null) : res;
      return ok({ username: session.username, reset: withoutToken(res.value), challenge: session.challenge });
    },

    challenge: ({ methodId }) =>
      withSession(async (s) => {
        const res = await requestChallenge(s.baseUrl, s.resetId, s.resetToken, methodId);
        if (res.ok) await store.set({ ...s, challenge: res.value });
        return res;
      }),

    verify: (input) =>
      withSession(async (s) => {
        const res = await verifyReset(s.baseUrl, s.resetId, s.resetToken, input);
        if (!res.ok) return res;
        await store.set({ ...s, challenge: null });
        return ok(withoutToken(res.value));
      }),

    setPassword: ({ newPassword }) =>
      withSession(async (s) => {
        const res = await setResetPassword(s.baseUrl, s.resetId, s.resetToken, newPassword);
        if (!res.ok) return res;
        await store.clear();
        return ok(withoutToken(res.value));
      }),

    unlock: () =>
      withSession(async (s) => {
        const res = await unlockAccount(s.baseUrl, s.resetId, s.resetToken);
        if (!res.ok) return res;
        await store.clear();
        return ok(withoutToken(res.value));
      }),

    async cancel() {
      await store.clear();
      return ok(null);
    },
  };
}
