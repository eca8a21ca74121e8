import { useEffect, useRef, useState } from "preact/hooks";
import type { PatchUserRequest } from "../../../../shared/api/admin.js";
import type { AdminUser } from "../../../../shared/api/users.js";
import { ApiFailure, call } from "../api.js";
import { roleName, when } from "../format.js";
import { type AdminSession, isGlobalAdmin } from "../session.js";
import { ConfirmStep } from "./confirm-step.js";
import { GroupsEditor, LanguageEditor, RolesEditor, languageOf } from "./setting-editors.js";

/** A PATCH /v1/admin/users/{id}, described before it is sent. */
export interface Change {
  title: string;
  consequence: string;
  confirmLabel: string;
  patch: PatchUserRequest;
  done: string;
  /** The control to give focus back to when the step closes. */
  from: string;
}

/** When the password expires, in words; who decides it says why it never does. */
function expiryText(u: AdminUser): string {
  if (u.passwordNeverExpires) return "Never: exempt from expiry.";
  if (!u.passwordExpiresAt) return u.source === "directory" ? "Never: the directory sets no expiry." : "Never: the policy sets no expiry.";
  return u.passwordExpired ? `Expired ${when(u.passwordExpiresAt)}.` : `${when(u.passwordExpiresAt)}.`;
}

type Editor = "roles" | "groups" | "language";

const DIRECTORY_REASON = "Your organisation's directory manages these for this account: change them there, and the next sync brings the change here.";

/**
 * The account's settings the admin API can change (enabled, roles, groups, language, never-expires),
 * each behind a confirm step. What the caller may not change is shown without a control: a password
 * admin grants no roles, nobody edits what the directory owns (409 `managed_by_directory`); the
 * language is OpenSSPR's own, so it stays editable for a directory account.
 */
export function AccountSettings({ session, user, mayEdit, onChanged }: { session: AdminSession; user: AdminUser; mayEdit: boolean; onChanged: (message: string) => void }) {
  const [editing, setEditing] = useState<Editor | null>(null);
  const [pending, setPending] = useState<Change | null>(null);
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);
  const returnFocus = useRef<string | null>(null);
  const directory = user.source === "directory";
  const editable = mayEdit && !directory;
  const name = user.displayName;

  useEffect(() => {
    if (pending || editing || !returnFocus.current) return;
    document.getElementById(returnFocus.current)?.focus();
    returnFocus.current = null;
  });

  function close(from: string) {
    returnFocus.current = from;
    setPending(null);
    setEditing(null);
  }

  function ask(change: Change) {
    setProblem(null);
    setEditing(null);
    setPending(change);
  }

  async function apply() {
    if (!pending) return;
    setBusy(true);
    setProblem(null);
    try {
      await call("PATCH", `/v1/admin/users/${encodeURIComponent(user.id)}`, { token: session.token, body: pending.patch });
      onChanged(pending.done);
      close(pending.from);
    } catch (e) {
      setProblem(e instanceof ApiFailure ? e.message : "That did not work. Try again.");
    } finally {
      setBusy(false);
    }
  }

  const open = (which: Editor) => {
    setPending(null);
    setEditing(which);
  };
  const idle = !pending && !editing;
  const never = user.passwordNeverExpires;

  return (
    <section aria-labelledby="settings-title">
      <h2 id="settings-title">Account settings</h2>
      {directory && <p class="hint">{DIRECTORY_REASON}</p>}
      <dl class="settings-list">
        <dt>Account</dt>
        <dd class="setting">
          <span>{user.disabled ? "Disabled: cannot sign in or reset" : "Enabled"}</span>
          {editable && idle && (
            <button type="button" class="secondary" id="setting-disabled" onClick={() => ask(user.disabled ? enable(name) : disable(name))}>
              {user.disabled ? "Enable account" : "Disable account"}
            </button>
          )}
        </dd>
        <dt>Roles</dt>
        <dd class="setting">
          <span>{user.roles.map(roleName).join(", ")}</span>
          {editable && idle && isGlobalAdmin(session.user) && (
            <button type="button" class="secondary" id="setting-roles" onClick={() => open("roles")}>
              Change roles
            </button>
          )}
        </dd>
        <dt>Groups</dt>
        <dd class="setting">
          <span>{user.groups.length ? user.groups.join(", ") : "None"}</span>
          {editable && idle && (
            <button type="button" class="secondary" id="setting-groups" onClick={() => open("groups")}>
              Change groups
            </button>
          )}
        </dd>
        <dt>Language of messages</dt>
        <dd class="setting">
          <span>{languageOf(user.locale)}</span>
          {mayEdit && idle && (
            <button type="button" class="secondary" id="setting-language" onClick={() => open("language")}>
              Change language
            </button>
          )}
        </dd>
        <dt>Password expires</dt>
        <dd>{expiryText(user)}</dd>
        <dt>Never expires</dt>
        <dd class="setting">
          {editable ? (
            <button
              type="button"
              class="switch"
              role="switch"
              id="setting-never-expires"
              aria-checked={never ? "true" : "false"}
              aria-label="Password never expires"
              aria-disabled={idle ? undefined : "true"}
              onClick={() => idle && ask(never ? expires(name) : neverExpires(name))}
            >
              <span class="track" aria-hidden="true" />
              <span aria-hidden="true">{never ? "On" : "Off"}</span>
            </button>
          ) : (
            <span>{never ? "On" : "Off"}</span>
          )}
        </dd>
      </dl>
      {editing === "roles" && <RolesEditor user={user} onReview={ask} onCancel={() => close("setting-roles")} />}
      {editing === "groups" && <GroupsEditor user={user} onReview={ask} onCancel={() => close("setting-groups")} />}
      {editing === "language" && <LanguageEditor user={user} onReview={ask} onCancel={() => close("setting-language")} />}
      {pending && <ConfirmStep title={pending.title} consequence={pending.consequence} confirmLabel={pending.confirmLabel} busy={busy} problem={problem} onConfirm={apply} onCancel={() => close(pending.from)} />}
    </section>
  );
}

const disable = (name: string): Change => ({
  title: `Disable ${name}'s account?`,
  consequence: `${name} can no longer sign in or reset a password; their sessions and unfinished resets end now. You can enable the account again.`,
  confirmLabel: `Disable ${name}`,
  patch: { disabled: true },
  done: `${name}'s account is disabled.`,
  from: "setting-disabled",
});

const enable = (name: string): Change => ({
  title: `Enable ${name}'s account?`,
  consequence: `${name} can sign in and reset a password again.`,
  confirmLabel: `Enable ${name}`,
  patch: { disabled: false },
  done: `${name}'s account is enabled.`,
  from: "setting-disabled",
});

const neverExpires = (name: string): Change => ({
  title: `Let ${name}'s password never expire?`,
  consequence: `${name}'s password is exempt from the expiry policy: no reminders and no forced change, until you switch this off.`,
  confirmLabel: "Never expire",
  patch: { passwordNeverExpires: true },
  done: `${name}'s password never expires now.`,
  from: "setting-never-expires",
});

const expires = (name: string): Change => ({
  title: `Let ${name}'s password expire again?`,
  consequence: `${name}'s password follows the expiry policy again, counted from when it was last changed: if that is longer ago than the policy allows, ${name} must change it at the next sign-in.`,
  confirmLabel: "Follow the expiry policy",
  patch: { passwordNeverExpires: false },
  done: `${name}'s password follows the expiry policy again.`,
  from: "setting-never-expires",
});
