import { useEffect, useRef, useState } from "preact/hooks";
import type { SessionResponse } from "../../../shared/api/sessions.js";
import { ApiFailure, call } from "./api.js";
import { waitSentence } from "./format.js";
import { type AdminSession, isAdmin } from "./session.js";

/** What a failed sign-in tells the person, in words; never whether the account exists. */
export function signInProblem(e: unknown): string {
  if (!(e instanceof ApiFailure)) return "Something went wrong. Try again.";
  if (e.code === "invalid_credentials" || e.code === "invalid_request") return "The username or password is not right.";
  if (e.code === "rate_limited") return `Too many attempts for this account. ${e.retryAfter ? waitSentence(e.retryAfter) : "Try again later."}`;
  return e.message;
}

/**
 * Sign-in with the same POST /v1/sessions as every client. A session that is not an admin's, or that
 * may only change its password, is ended at once and not kept: the console has nothing to do with it.
 */
export function SignIn({ onSignedIn }: { onSignedIn: (s: AdminSession) => void }) {
  const [username, setUsername] = useState("");
  const [password, setPassword] = useState("");
  const [shown, setShown] = useState(false);
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);
  const problemRef = useRef<HTMLDivElement>(null);

  useEffect(() => {
    if (problem) problemRef.current?.focus();
  }, [problem]);

  async function submit(e: Event) {
    e.preventDefault();
    if (busy) return;
    if (!username.trim() || !password) {
      setProblem("Enter your username and password.");
      return;
    }
    setBusy(true);
    setProblem(null);
    try {
      const s = await call<SessionResponse>("POST", "/v1/sessions", { body: { username: username.trim(), password } });
      const refusal = !isAdmin(s.user)
        ? "This account is not an administrator. Sign in with an account that has the password admin or global admin role."
        : s.user.mustChangePassword || (s.user as { passwordExpired?: boolean }).passwordExpired === true
          ? "This account must change its password before it can manage anything. Change it (for example with the OpenSSPR extension), then sign in here again."
          : null;
      if (refusal) {
        await call("DELETE", "/v1/sessions/current", { token: s.token }).catch(() => {});
        setProblem(refusal);
        setPassword("");
      } else {
        onSignedIn({ token: s.token, expiresAt: s.expiresAt, user: s.user });
      }
    } catch (err) {
      setProblem(signInProblem(err));
    } finally {
      setBusy(false);
    }
  }

  const passwordField = {
    id: "password",
    autocomplete: "current-password",
    autocapitalize: "none" as const,
    spellcheck: false,
    value: password,
    onInput: (e: { currentTarget: HTMLInputElement }) => setPassword(e.currentTarget.value),
  };

  return (
    <main class="sign-in">
      <h1>Sign in to the OpenSSPR admin console</h1>
      <p class="hint">Use an account with the password admin or global admin role.</p>
      <div class="notice-empty" aria-live="assertive">
        {problem && (
          <div class="notice error" role="alert" tabIndex={-1} ref={problemRef}>
            {problem}
          </div>
        )}
      </div>
      <form onSubmit={submit} noValidate>
        <label for="username">Username</label>
        <input id="username" type="text" autocomplete="username" autocapitalize="none" spellcheck={false} value={username} onInput={(e) => setUsername(e.currentTarget.value)} />
        <label for="password">Password</label>
        <div class="password-row">
          {/* Same element either way, so only the type flips and the caret stays put. */}
          {shown ? <input type="text" {...passwordField} /> : <input type="password" {...passwordField} />}
          <button type="button" class="secondary toggle" aria-controls="password" aria-label={shown ? "Hide password" : "Show password"} onClick={() => setShown(!shown)}>
            {shown ? "Hide" : "Show"}
          </button>
        </div>
        <button type="submit" class="primary" aria-disabled={busy ? "true" : undefined}>
          {busy ? "Signing in…" : "Sign in"}
        </button>
      </form>
    </main>
  );
}
