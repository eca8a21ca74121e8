import { useEffect, useRef, useState } from "preact/hooks";
import type { AdminUser } from "../../../../shared/api/users.js";
import { shownHint } from "../../../../shared/method-hint.js";
import { ApiFailure, call, isAbort } from "../api.js";
import { methodName, stillAhead, when } from "../format.js";
import { onLinkClick } from "../router.js";
import { lastListHref } from "./user-list.js";
import { type AdminSession, mayActOn } from "../session.js";
import { StatusBadges } from "./status.js";
import { AccountSettings } from "./account-settings.js";
import { UserActions } from "./user-actions.js";

type Method = AdminUser["registration"]["methods"][number];

/** Pending questions are answers the policy no longer offers enough of, not an unverified address. */
function methodState(m: Method): string {
  if (m.status === "active") return `verified ${when(m.verifiedAt)}`;
  return m.type === "security_questions" ? "to be answered again: the policy offers too few of these questions now" : "not verified yet";
}

export function UserPage({ session, id }: { session: AdminSession; id: string }) {
  const [user, setUser] = useState<AdminUser | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const [message, setMessage] = useState<string | null>(null);
  const [version, setVersion] = useState(0);
  const titleRef = useRef<HTMLHeadingElement>(null);

  useEffect(() => {
    const controller = new AbortController();
    call<AdminUser>("GET", `/v1/admin/users/${encodeURIComponent(id)}`, { token: session.token, signal: controller.signal })
      .then((u) => {
        setUser(u);
        setProblem(null);
      })
      .catch((e: unknown) => {
        if (isAbort(e)) return;
        setProblem(e instanceof ApiFailure && e.status === 404 ? "There is no such user." : e instanceof ApiFailure ? e.message : "The user could not be loaded.");
      });
    return () => controller.abort();
  }, [id, version, session.token]);

  // A new screen: the title takes focus so keyboard and screen-reader users start there.
  useEffect(() => {
    if (user && version === 0) titleRef.current?.focus();
  }, [user?.id]);

  const back = (
    <p class="back">
      <a href={lastListHref()} onClick={onLinkClick}>
        ← All users
      </a>
    </p>
  );

  if (problem && !user) {
    return (
      <>
        {back}
        <h1>User</h1>
        <div class="notice error" role="alert">
          {problem}
        </div>
      </>
    );
  }
  if (!user) return <p role="status">Loading…</p>;

  const now = Date.now();
  const reg = user.registration;
  const mayAct = mayActOn(session.user, user);
  const changed = (m: string | null) => {
    setMessage(m);
    setVersion((v) => v + 1);
  };
  return (
    <>
      {back}
      <h1 tabIndex={-1} ref={titleRef}>
        {user.displayName}
      </h1>
      <p class="hint">{user.username}</p>
      <StatusBadges user={user} />
      {message && (
        <div class="notice info" role="status">
          {message}
        </div>
      )}
      <dl class="facts">
        <dt>Source</dt>
        <dd>{user.source === "directory" ? "Organisation's directory (password and profile are managed there)" : "Native (managed here)"}</dd>
        <dt>Sign-in lockout</dt>
        <dd>{stillAhead(user.lockedUntil, now) ? `Locked until ${when(user.lockedUntil)}` : "Not locked"}</dd>
        <dt>Self-service reset</dt>
        <dd>{stillAhead(user.resetBlockedUntil, now) ? `Blocked until ${when(user.resetBlockedUntil)}` : "Not blocked"}</dd>
        <dt>Last sign-in</dt>
        <dd>{when(user.lastSignInAt)}</dd>
        <dt>Password changed</dt>
        <dd>
          {when(user.passwordChangedAt)}
          {user.mustChangePassword ? " (must be changed at the next sign-in)" : ""}
        </dd>
      </dl>
      <section aria-labelledby="registration-title">
        <h2 id="registration-title">Registration</h2>
        <p>
          {reg.complete ? "Registered" : "Not fully registered"}: {reg.methods.filter((m) => m.status === "active").length} of {reg.methodsRequired} required{" "}
          {reg.methodsRequired === 1 ? "method" : "methods"} active.
          {reg.lastConfirmedAt ? ` Last confirmed ${when(reg.lastConfirmedAt)}.` : ""}
        </p>
        {reg.methods.length > 0 ? (
          <ul class="methods-list">
            {reg.methods.map((m) => (
              <li key={m.id}>
                <strong>{methodName(m.type)}</strong> {shownHint(m)} <span class="muted">{methodState(m)}</span>
              </li>
            ))}
          </ul>
        ) : (
          <p class="muted">No recovery methods.</p>
        )}
      </section>
      <AccountSettings session={session} user={user} mayEdit={mayAct} onChanged={changed} />
      {mayAct ? (
        <UserActions session={session} user={user} onChanged={changed} />
      ) : (
        <p class="notice info">As a password admin you can view accounts with admin roles but not change them. A global admin can.</p>
      )}
    </>
  );
}
