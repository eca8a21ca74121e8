import { useEffect, useRef, useState } from "preact/hooks";
import type { AdminUser } from "../../../../shared/api/users.js";
import { ApiFailure, call } from "../api.js";
import type { AdminSession } from "../session.js";
import { ConfirmStep } from "./confirm-step.js";

interface Action {
  id: "unlock" | "password" | "methods";
  label: string;
  /** What pressing it will do, said before the admin confirms. */
  consequence: string;
  confirmLabel: string;
  run: () => Promise<string | null>;
}

/**
 * The actions on one user, each behind a confirm step. Only what the caller may do is passed in
 * (user-page.tsx decides); a refusal the server still gives is shown in its words.
 */
export function UserActions({ session, user, onChanged }: { session: AdminSession; user: AdminUser; onChanged: (message: string | null) => void }) {
  const [pending, setPending] = useState<Action | null>(null);
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);
  const [temporaryPassword, setTemporaryPassword] = useState<string | null>(null);
  const triggerRef = useRef<HTMLButtonElement | null>(null);
  const base = `/v1/admin/users/${encodeURIComponent(user.id)}`;
  const name = user.displayName;

  const actions: Action[] = [
    {
      id: "unlock",
      label: "Unlock",
      consequence: `${name} can sign in and reset again at once: the sign-in lockout and any reset block are cleared.`,
      confirmLabel: `Unlock ${name}`,
      run: async () => {
        await call("POST", `${base}/unlock`, { token: session.token });
        return `${name} is unlocked.`;
      },
    },
    {
      id: "password",
      label: "Set a temporary password",
      consequence: `${name}'s password is replaced by a new temporary one, shown to you once. ${name} is signed out everywhere and must choose a new password at the next sign-in.`,
      confirmLabel: "Set a temporary password",
      run: async () => {
        const res = await call<{ temporaryPassword: string }>("POST", `${base}/password`, { token: session.token, body: {} });
        setTemporaryPassword(res.temporaryPassword);
        return null;
      },
    },
    ...(user.registration.methods.length > 0
      ? [
          {
            id: "methods" as const,
            label: "Clear recovery methods",
            consequence: `All of ${name}'s recovery methods (${user.registration.methods.length}) are removed. ${name} must register again before a self-service reset works.`,
            confirmLabel: "Clear recovery methods",
            run: async () => {
              await call("DELETE", `${base}/methods`, { token: session.token });
              return `${name}'s recovery methods are cleared.`;
            },
          },
        ]
      : []),
  ];

  function cancel() {
    setPending(null);
    triggerRef.current?.focus();
  }

  async function confirm() {
    if (!pending || busy) return;
    setBusy(true);
    setProblem(null);
    try {
      const message = await pending.run();
      setPending(null);
      onChanged(message);
    } catch (e) {
      setProblem(e instanceof ApiFailure ? e.message : "That did not work. Try again.");
    } finally {
      setBusy(false);
    }
  }

  return (
    <section class="actions" aria-labelledby="actions-title">
      <h2 id="actions-title">Actions</h2>
      {temporaryPassword && <TemporaryPassword password={temporaryPassword} name={name} onDone={() => setTemporaryPassword(null)} />}
      {pending ? (
        <ConfirmStep title={`${pending.label}?`} consequence={pending.consequence} confirmLabel={pending.confirmLabel} busy={busy} problem={problem} onConfirm={confirm} onCancel={cancel} />
      ) : (
        <div class="button-row">
          {actions.map((a) => (
            <button
              type="button"
              class="secondary"
              key={a.id}
              onClick={(e) => {
                triggerRef.current = e.currentTarget;
                setProblem(null);
                setPending(a);
              }}
            >
              {a.label}
            </button>
          ))}
        </div>
      )}
    </section>
  );
}

/** Shown once: the server never gives it again, so the admin copies it now or sets another. */
export function TemporaryPassword({ password, name, onDone }: { password: string; name: string; onDone: () => void }) {
  const [copied, setCopied] = useState<boolean | null>(null);
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => ref.current?.focus(), []);

  async function copy() {
    try {
      await navigator.clipboard.writeText(password);
      setCopied(true);
    } catch {
      setCopied(false);
    }
  }

  return (
    <div class="notice info temporary" role="group" aria-labelledby="temp-title" tabIndex={-1} ref={ref}>
      <h3 id="temp-title">Temporary password for {name}</h3>
      <p>Give it to {name} by a channel you trust. It is shown only now; {name} must change it at the next sign-in.</p>
      <label for="temporary-password">Temporary password</label>
      <input id="temporary-password" class="secret" type="text" readOnly value={password} spellcheck={false} autocomplete="off" onFocus={(e) => e.currentTarget.select()} />
      <div class="button-row">
        <button type="button" class="secondary" onClick={copy}>
          Copy password
        </button>
        <button type="button" class="secondary" onClick={onDone}>
          Done, hide it
        </button>
      </div>
      <p role="status" class="hint">
        {copied === true ? "Copied to the clipboard." : copied === false ? "Copying is not allowed here: select the password and copy it." : ""}
      </p>
    </div>
  );
}
