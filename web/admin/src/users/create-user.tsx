import { useEffect, useRef, useState } from "preact/hooks";
import type { CreateUserRequest } from "../../../../shared/api/admin.js";
import type { Role } from "../../../../shared/api/common.js";
import type { AdminUser } from "../../../../shared/api/users.js";
import { ApiFailure, call } from "../api.js";
import { roleName } from "../format.js";
import { onLinkClick } from "../router.js";
import { type AdminSession, isGlobalAdmin } from "../session.js";
import { TemporaryPassword } from "./user-actions.js";
import { type FieldProblems, type UserField, USER_FIELDS, fieldProblems, parseGroupList, serverProblems } from "./user-fields.js";
import { lastListHref } from "./user-list.js";

interface Draft {
  username: string;
  displayName: string;
  email: string;
  phone: string;
  password: string;
  roles: Role[];
  groups: string;
  passwordNeverExpires: boolean;
}

const EMPTY: Draft = { username: "", displayName: "", email: "", phone: "", password: "", roles: [], groups: "", passwordNeverExpires: false };

/** The request a draft makes: empty optional fields left out, `user` always among the roles. */
export function requestOf(d: Draft): CreateUserRequest {
  const { groups } = parseGroupList(d.groups);
  return {
    username: d.username.trim(),
    displayName: d.displayName.trim(),
    ...(d.email.trim() ? { email: d.email.trim() } : {}),
    ...(d.phone.trim() ? { phone: d.phone.trim() } : {}),
    ...(d.password ? { password: d.password } : {}),
    ...(d.roles.length ? { roles: ["user", ...d.roles] } : {}),
    ...(groups.length ? { groups } : {}),
    ...(d.passwordNeverExpires ? { passwordNeverExpires: true } : {}),
  };
}

type Created = { user: AdminUser; temporaryPassword?: string };

/** POST /v1/admin/users: one new user, checked as typed with the shared schema, the server's refusals on their fields. */
export function CreateUser({ session }: { session: AdminSession }) {
  const [draft, setDraft] = useState<Draft>(EMPTY);
  const [touched, setTouched] = useState<Set<UserField>>(new Set());
  const [server, setServer] = useState<{ fields: FieldProblems; general: string | null }>({ fields: {}, general: null });
  const [busy, setBusy] = useState(false);
  const [created, setCreated] = useState<Created | null>(null);
  const [passwordHidden, setPasswordHidden] = useState(false);
  const titleRef = useRef<HTMLHeadingElement>(null);
  const doneRef = useRef<HTMLHeadingElement>(null);

  useEffect(() => titleRef.current?.focus(), []);
  useEffect(() => {
    if (created) doneRef.current?.focus();
  }, [created]);

  const local = fieldProblems(requestOf(draft));
  const problemOf = (f: UserField) => server.fields[f] ?? (touched.has(f) ? local[f] : undefined);

  function change<K extends keyof Draft>(field: K, value: Draft[K]) {
    setDraft((d) => ({ ...d, [field]: value }));
    setServer((s) => ({ fields: { ...s.fields, [field]: undefined }, general: null }));
  }
  const touch = (f: UserField) => setTouched((t) => new Set(t).add(f));

  async function submit(e: Event) {
    e.preventDefault();
    if (busy) return;
    setTouched(new Set(USER_FIELDS));
    const firstWrong = USER_FIELDS.find((f) => local[f]);
    if (firstWrong) return document.getElementById(`new-${firstWrong}`)?.focus();
    setBusy(true);
    try {
      setCreated(await call<Created>("POST", "/v1/admin/users", { token: session.token, body: requestOf(draft) }));
    } catch (err) {
      const problems = err instanceof ApiFailure ? serverProblems(err) : { fields: {}, general: "The user could not be created. Try again." };
      setServer(problems);
      const field = USER_FIELDS.find((f) => problems.fields[f]);
      if (field) document.getElementById(`new-${field}`)?.focus();
    } finally {
      setBusy(false);
    }
  }

  const back = (
    <p class="back">
      <a href={lastListHref()} onClick={onLinkClick}>
        ← All users
      </a>
    </p>
  );

  if (created) {
    const { user, temporaryPassword } = created;
    return (
      <>
        {back}
        <h1 tabIndex={-1} ref={doneRef}>
          {user.displayName} is created
        </h1>
        <p>
          {user.username} {temporaryPassword ? "signs in with a temporary password and must then choose a new one." : "can sign in with the password you gave."}
        </p>
        {temporaryPassword && !passwordHidden && <TemporaryPassword password={temporaryPassword} name={user.displayName} onDone={() => setPasswordHidden(true)} />}
        <div class="button-row">
          <a href={`/admin/users/${encodeURIComponent(user.id)}`} onClick={onLinkClick}>
            Open {user.displayName}'s page
          </a>
          <button
            type="button"
            class="secondary"
            onClick={() => {
              setCreated(null);
              setPasswordHidden(false);
              setDraft(EMPTY);
              setTouched(new Set());
            }}
          >
            Create another user
          </button>
        </div>
      </>
    );
  }

  const text = (field: Exclude<UserField, "roles" | "passwordNeverExpires">, label: string, o: { type?: "text" | "email" | "tel" | "password"; hint?: string; autocomplete?: string } = {}) => {
    const id = `new-${field}`;
    const problem = problemOf(field);
    const describedBy = [o.hint ? `${id}-hint` : null, problem ? `${id}-problem` : null].filter(Boolean).join(" ") || undefined;
    return (
      <div class="field">
        <label for={id}>{label}</label>
        {o.hint && (
          <p class="hint" id={`${id}-hint`}>
            {o.hint}
          </p>
        )}
        <input
          id={id}
          // Preact's input types are a union per `type`; these four share every attribute used here.
          type={(o.type ?? "text") as "text"}
          autocomplete={o.autocomplete ?? "off"}
          spellcheck={false}
          value={draft[field]}
          aria-invalid={problem ? "true" : undefined}
          aria-describedby={describedBy}
          onInput={(e) => change(field, e.currentTarget.value)}
          onBlur={() => touch(field)}
        />
        {problem && (
          <p class="field-error" id={`${id}-problem`}>
            {problem}
          </p>
        )}
      </div>
    );
  };

  return (
    <>
      {back}
      <h1 tabIndex={-1} ref={titleRef}>
        Create a user
      </h1>
      <form class="form" onSubmit={submit} noValidate>
        {server.general && (
          <div class="notice error" role="alert">
            {server.general}
          </div>
        )}
        {text("username", "Username", { hint: "What they sign in with, often their email address." })}
        {text("displayName", "Display name")}
        {text("email", "Email (optional)", { type: "email", hint: "Becomes an active recovery method: you vouch that it is theirs." })}
        {text("phone", "Mobile phone (optional)", { type: "tel", hint: "In international form, like +44 7911 123456. Becomes an active recovery method." })}
        {text("password", "Password (optional)", { type: "password", autocomplete: "new-password", hint: "Leave empty to generate a temporary password, shown once, that must be changed at the first sign-in." })}
        {isGlobalAdmin(session.user) && (
          <fieldset class="field group" aria-describedby={problemOf("roles") ? "new-roles-problem" : undefined}>
            <legend>Admin roles (optional)</legend>
            {(["password_admin", "global_admin"] as const).map((r) => (
              <div class="check" key={r}>
                <input
                  id={`new-role-${r}`}
                  type="checkbox"
                  checked={draft.roles.includes(r)}
                  onChange={(e) => change("roles", e.currentTarget.checked ? [...draft.roles, r] : draft.roles.filter((x) => x !== r))}
                />
                <label for={`new-role-${r}`}>{roleName(r)}</label>
              </div>
            ))}
            {problemOf("roles") && (
              <p class="field-error" id="new-roles-problem">
                {problemOf("roles")}
              </p>
            )}
          </fieldset>
        )}
        {text("groups", "Groups (optional)", { hint: "Separate groups with commas." })}
        <div class="field check">
          <input id="new-passwordNeverExpires" type="checkbox" checked={draft.passwordNeverExpires} onChange={(e) => change("passwordNeverExpires", e.currentTarget.checked)} />
          <label for="new-passwordNeverExpires">Password never expires</label>
        </div>
        <button type="submit" class="primary inline" aria-disabled={busy ? "true" : undefined}>
          {busy ? "Creating…" : "Create user"}
        </button>
      </form>
    </>
  );
}
