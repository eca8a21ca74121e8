import { useEffect, useRef, useState } from "preact/hooks";
import type { Role } from "../../../../shared/api/common.js";
import type { AdminUser } from "../../../../shared/api/users.js";
import { LOCALES, type Locale } from "../../../../shared/locale.js";
import { languageName, roleName } from "../format.js";
import type { Change } from "./account-settings.js";
import { parseGroupList } from "./user-fields.js";

interface EditorProps {
  user: AdminUser;
  onReview: (change: Change) => void;
  onCancel: () => void;
}

const ADMIN_ROLES: Role[] = ["password_admin", "global_admin"];
const ROLE_POWERS: Record<Role, string> = {
  user: "",
  password_admin: "A password admin helps users without admin roles (unlock, temporary password).",
  global_admin: "A global admin can change the policy and every account.",
};

/** Roles as checkboxes; every account keeps `user`. Only a global admin is shown this (api.md "Admin" *). */
export function RolesEditor({ user, onReview, onCancel }: EditorProps) {
  const [chosen, setChosen] = useState<Role[]>(() => user.roles.filter((r) => r !== "user"));
  const [problem, setProblem] = useState<string | null>(null);
  const first = useRef<HTMLInputElement>(null);
  useEffect(() => first.current?.focus(), []);
  const name = user.displayName;

  function review(e: Event) {
    e.preventDefault();
    const roles: Role[] = ["user", ...ADMIN_ROLES.filter((r) => chosen.includes(r))];
    if (roles.join() === ["user", ...ADMIN_ROLES.filter((r) => user.roles.includes(r))].join()) return setProblem("These are the roles it has now: change one, or cancel.");
    const list = roles.map(roleName).join(", ");
    onReview({
      title: `Change ${name}'s roles?`,
      consequence: `${name}'s roles become: ${list}. ${name}'s unfinished password resets end, and the next one follows the policy for these roles.`,
      confirmLabel: "Change roles",
      patch: { roles },
      done: `${name}'s roles are now: ${list}.`,
      from: "setting-roles",
    });
  }

  return (
    <form class="callout editor" onSubmit={review} onKeyDown={(e) => e.key === "Escape" && onCancel()} noValidate>
      <fieldset class="field group" aria-describedby={problem ? "roles-problem" : "roles-hint"}>
        <legend>Roles of {name}</legend>
        <p class="hint" id="roles-hint">
          Every account has the User role.
        </p>
        {ADMIN_ROLES.map((r, i) => (
          <div class="check" key={r}>
            <input
              id={`role-${r}`}
              type="checkbox"
              ref={i === 0 ? first : undefined}
              checked={chosen.includes(r)}
              onChange={(e) => {
                const on = e.currentTarget.checked;
                setProblem(null);
                setChosen((c) => (on ? [...c, r] : c.filter((x) => x !== r)));
              }}
            />
            <label for={`role-${r}`}>{roleName(r)}</label>
            <p class="hint">{ROLE_POWERS[r]}</p>
          </div>
        ))}
        {problem && (
          <p class="field-error" id="roles-problem">
            {problem}
          </p>
        )}
      </fieldset>
      <EditorButtons onCancel={onCancel} />
    </form>
  );
}

export function GroupsEditor({ user, onReview, onCancel }: EditorProps) {
  const [text, setText] = useState(() => user.groups.join(", "));
  const [problem, setProblem] = useState<string | null>(null);
  const input = useRef<HTMLInputElement>(null);
  useEffect(() => input.current?.focus(), []);
  const name = user.displayName;

  function review(e: Event) {
    e.preventDefault();
    const { groups, problem: wrong } = parseGroupList(text);
    if (wrong) return setProblem(wrong);
    if ([...groups].sort().join("\n") === [...user.groups].sort().join("\n")) return setProblem("These are the groups it is in now: change one, or cancel.");
    const list = groups.length ? groups.join(", ") : "none";
    onReview({
      title: `Change ${name}'s groups?`,
      consequence: `${name}'s groups become: ${list}. Policies that apply to groups (who can reset, required methods) follow the new groups.`,
      confirmLabel: "Change groups",
      patch: { groups },
      done: `${name}'s groups are now: ${list}.`,
      from: "setting-groups",
    });
  }

  return (
    <form class="callout editor" onSubmit={review} onKeyDown={(e) => e.key === "Escape" && onCancel()} noValidate>
      <div class="field">
        <label for="groups-input">Groups of {name}</label>
        <p class="hint" id="groups-hint">
          Separate groups with commas. Leave it empty for none.
        </p>
        <input
          id="groups-input"
          type="text"
          ref={input}
          autocomplete="off"
          spellcheck={false}
          value={text}
          aria-invalid={problem ? "true" : undefined}
          aria-describedby={problem ? "groups-hint groups-problem" : "groups-hint"}
          onInput={(e) => {
            setProblem(null);
            setText(e.currentTarget.value);
          }}
        />
        {problem && (
          <p class="field-error" id="groups-problem">
            {problem}
          </p>
        )}
      </div>
      <EditorButtons onCancel={onCancel} />
    </form>
  );
}

/** The language of the account's emails and text messages; "" is the organisation's default. */
export function LanguageEditor({ user, onReview, onCancel }: EditorProps) {
  const [chosen, setChosen] = useState<string>(user.locale ?? "");
  const [problem, setProblem] = useState<string | null>(null);
  const select = useRef<HTMLSelectElement>(null);
  useEffect(() => select.current?.focus(), []);
  const name = user.displayName;

  function review(e: Event) {
    e.preventDefault();
    const locale = chosen === "" ? null : (chosen as Locale);
    if (locale === user.locale) return setProblem("This is the language it has now: choose another, or cancel.");
    const language = languageOf(locale);
    onReview({
      title: `Change the language of ${name}'s messages?`,
      consequence: `Emails and text messages to ${name} (codes, reset notices, expiry reminders) will be in: ${language}.`,
      confirmLabel: "Change language",
      patch: { locale },
      done: `${name}'s messages are now in: ${language}.`,
      from: "setting-language",
    });
  }

  return (
    <form class="callout editor" onSubmit={review} onKeyDown={(e) => e.key === "Escape" && onCancel()} noValidate>
      <div class="field">
        <label for="language-input">Language of {name}'s messages</label>
        <select
          id="language-input"
          ref={select}
          value={chosen}
          aria-invalid={problem ? "true" : undefined}
          aria-describedby={problem ? "language-problem" : undefined}
          onChange={(e) => {
            setProblem(null);
            setChosen(e.currentTarget.value);
          }}
        >
          <option value="">{languageOf(null)}</option>
          {LOCALES.map((l) => (
            <option value={l} key={l}>
              {languageName(l)}
            </option>
          ))}
        </select>
        {problem && (
          <p class="field-error" id="language-problem">
            {problem}
          </p>
        )}
      </div>
      <EditorButtons onCancel={onCancel} />
    </form>
  );
}

export const languageOf = (locale: Locale | null) => (locale ? languageName(locale) : "The organisation's default language");

function EditorButtons({ onCancel }: { onCancel: () => void }) {
  return (
    <div class="button-row">
      <button type="submit" class="primary inline">
        Review the change
      </button>
      <button type="button" class="secondary" onClick={onCancel}>
        Cancel
      </button>
    </div>
  );
}
