import { useState } from "preact/hooks";
import { REGISTRATION_FILTERS, type RegistrationFilter } from "../../../../shared/api/admin.js";
import { ROLES } from "../../../../shared/api/common.js";
import { roleName } from "../format.js";
import { navigate, onLinkClick } from "../router.js";
import { type AdminSession, isGlobalAdmin } from "../session.js";
import { StatusBadges } from "./status.js";
import { type UserFilters, useUserSearch } from "./use-user-search.js";

const REGISTRATION_NAMES: Record<RegistrationFilter, string> = { registered: "Registered", partial: "Partly registered", unregistered: "Not registered" };

/** The filters live in the address (replaced, not pushed), so Back from a user's page finds the same list. */
function filtersFrom(search: URLSearchParams): UserFilters {
  return { q: search.get("q") ?? "", group: search.get("group") ?? "", role: search.get("role") ?? "", registration: search.get("registration") ?? "" };
}

function hrefOf(f: UserFilters): string {
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(f)) if (v) params.set(k, v);
  const query = params.toString();
  return `/admin/users${query ? `?${query}` : ""}`;
}

/** The list as last filtered, for the user page's way back to it. */
let lastList = "/admin/users";
export const lastListHref = () => lastList;

export function UserList({ session, search }: { session: AdminSession; search: URLSearchParams }) {
  const [filters, setFilters] = useState(() => filtersFrom(search));
  const { users, nextCursor, loading, error, loadMore } = useUserSearch(session.token, filters);

  function change(field: keyof UserFilters, value: string) {
    const next = { ...filters, [field]: value };
    setFilters(next);
    lastList = hrefOf(next);
    navigate(lastList, { replace: true });
  }

  return (
    <>
      <div class="page-head">
        <h1>Users</h1>
        <div class="button-row">
          <a href="/admin/users/new" onClick={onLinkClick}>
            Create a user
          </a>
          {isGlobalAdmin(session.user) && (
            <a href="/admin/users/import" onClick={onLinkClick}>
              Import from a CSV file
            </a>
          )}
        </div>
      </div>
      <form class="filters" role="search" onSubmit={(e) => e.preventDefault()}>
        <div class="filter grow">
          <label for="user-search">Search by name or username</label>
          <input id="user-search" type="search" autocomplete="off" spellcheck={false} value={filters.q} onInput={(e) => change("q", e.currentTarget.value)} />
        </div>
        <div class="filter">
          <label for="user-group">Group</label>
          <input id="user-group" type="text" autocomplete="off" spellcheck={false} value={filters.group} onInput={(e) => change("group", e.currentTarget.value)} />
        </div>
        <div class="filter">
          <label for="user-role">Role</label>
          <select id="user-role" value={filters.role} onChange={(e) => change("role", e.currentTarget.value)}>
            <option value="">Any role</option>
            {ROLES.map((r) => (
              <option value={r} key={r}>
                {roleName(r)}
              </option>
            ))}
          </select>
        </div>
        <div class="filter">
          <label for="user-registration">Registration</label>
          <select id="user-registration" value={filters.registration} onChange={(e) => change("registration", e.currentTarget.value)}>
            <option value="">Any</option>
            {REGISTRATION_FILTERS.map((r) => (
              <option value={r} key={r}>
                {REGISTRATION_NAMES[r]}
              </option>
            ))}
          </select>
        </div>
      </form>
      {error && (
        <div class="notice error" role="alert">
          {error}
        </div>
      )}
      <p class="result-count" role="status" aria-live="polite">
        {loading && users.length === 0 ? "Searching…" : users.length === 0 ? "No users match." : `${users.length}${nextCursor ? "+" : ""} ${users.length === 1 ? "user" : "users"}`}
      </p>
      <ul class="user-list" aria-busy={loading ? "true" : "false"}>
        {users.map((u) => (
          <li key={u.id}>
            <a href={`/admin/users/${encodeURIComponent(u.id)}`} onClick={onLinkClick} class="user-link">
              <span class="user-name">{u.displayName}</span>
              <span class="user-username">{u.username}</span>
            </a>
            <span class="user-meta">
              {u.roles.filter((r) => r !== "user").map(roleName).join(", ")}
              {u.source === "directory" ? " Directory" : ""}
            </span>
            <StatusBadges user={u} />
          </li>
        ))}
      </ul>
      {nextCursor && (
        <button type="button" class="secondary" aria-disabled={loading ? "true" : undefined} onClick={() => !loading && loadMore()}>
          {loading ? "Loading…" : "Show more users"}
        </button>
      )}
    </>
  );
}
