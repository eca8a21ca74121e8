import { env } from "cloudflare:workers";
import type { DirectoryUser, SyncPageRequest } from "../../../shared/directory/protocol.js";
import { newId, newToken } from "../../../worker/src/crypto/random.js";
import { sha256Hex } from "../../../worker/src/crypto/token-hash.js";
import { callJson } from "../helpers.js";

/** An enrolled agent written straight into D1 (what POST /v1/agent/enroll leaves behind). */
export async function seedAgent(name = "test agent") {
  const id = newId("agt");
  const credential = newToken();
  await env.DB.prepare(`insert into directory_agents (id, name, credential_hash, version, created_at, enrolled_at) values (?, ?, ?, '1.0.0', ?, ?)`)
    .bind(id, name, await sha256Hex(credential), Date.now(), Date.now())
    .run();
  return { id, credential };
}

let entries = 0;
/** A directory entry as the agent reports it; `stem` makes its username and ids unique per call. */
export function directoryEntry(stem: string, o: Partial<DirectoryUser> = {}): DirectoryUser {
  entries++;
  const n = `${stem}${entries}x${Date.now().toString(36)}`;
  return {
    externalId: `guid-${n}`,
    dn: `uid=${n},ou=people,dc=example,dc=test`,
    username: `${n}@example.test`,
    displayName: `Directory ${n}`,
    email: `${n}@example.test`,
    alternateEmail: null,
    mobile: null,
    groups: ["staff"],
    roles: ["user"],
    disabled: false,
    passwordChangedAt: Date.UTC(2026, 0, 1),
    passwordExpiresAt: Date.UTC(2027, 0, 1),
    passwordNeverExpires: false,
    mustChangePassword: false,
    ...o,
  };
}

export const newSyncId = () => `sync-${newToken().slice(0, 24)}`;

export async function postPage(credential: string, page: Partial<SyncPageRequest> & Pick<SyncPageRequest, "syncId" | "page">) {
  const body: SyncPageRequest = { last: false, users: [], groups: [], errors: [], ...page };
  return callJson("POST", "/v1/agent/sync", { token: credential, body });
}

/** A whole sync of `users` in pages of `pageSize`, each page checked to be accepted (200). */
export async function fullSync(credential: string, users: DirectoryUser[], o: { pageSize?: number; errors?: string[] } = {}) {
  const syncId = newSyncId();
  const size = o.pageSize ?? 1000;
  const pages = Math.max(1, Math.ceil(users.length / size));
  const answers = [];
  // Each group name once, with the first page naming it, as the agent sends them.
  const sent = new Set<string>();
  for (let page = 0; page < pages; page++) {
    const slice = users.slice(page * size, (page + 1) * size);
    const groups = [...new Set(slice.flatMap((u) => u.groups))].filter((g) => !sent.has(g));
    for (const group of groups) sent.add(group);
    const res = await postPage(credential, { syncId, page, last: page === pages - 1, users: slice, groups, errors: page === 0 ? (o.errors ?? []) : [] });
    if (res.status !== 200) throw new Error(`sync page ${page}: ${res.status} ${JSON.stringify(res.body)}`);
    answers.push(res.body as { accepted: number; skipped: string[] });
  }
  return { syncId, answers };
}

export type UserRowView = {
  id: string;
  username: string;
  display_name: string;
  source: string;
  external_id: string | null;
  directory_dn: string | null;
  disabled: number;
  roles: string;
  groups: string;
  email: string | null;
  password_hash: string | null;
  must_change_password: number;
  password_changed_at: number | null;
  password_expires_at: number | null;
  password_never_expires: number;
  sync_id: string | null;
};

export const userByExternalId = (externalId: string) => env.DB.prepare(`select * from users where external_id = ?`).bind(externalId).first<UserRowView>();

export const methodsOfUser = async (userId: string) =>
  (await env.DB.prepare(`select id, type, status, target, origin from recovery_methods where user_id = ? order by created_at, type, id`).bind(userId).all<{ id: string; type: string; status: string; target: string; origin: string }>()).results;

/** A directory user written straight into D1 (what a sync leaves behind), with an email method to reset with. */
export async function seedDirectoryUser(o: { roles?: string[]; disabled?: boolean; mustChangePassword?: boolean } = {}) {
  const entry = directoryEntry("dir");
  const id = newId("usr");
  const username = entry.username.toLowerCase();
  const now = Date.now();
  await env.DB.prepare(
    `insert into users (id, username, display_name, display_name_folded, email, roles, groups, disabled, must_change_password, password_hash, password_history,
       password_changed_at, created_at, source, external_id, directory_dn, sync_id, directory_contact, password_expires_at)
     values (?, ?, ?, ?, ?, ?, '["staff"]', ?, ?, null, '[]', ?, ?, 'directory', ?, ?, 'seeded', ?, ?)`,
  )
    .bind(id, username, entry.displayName, entry.displayName.toLowerCase(), entry.email, JSON.stringify(o.roles ?? ["user"]), o.disabled ? 1 : 0, o.mustChangePassword ? 1 : 0, entry.passwordChangedAt, now, entry.externalId, entry.dn, JSON.stringify({ email: entry.email, alternateEmail: null, mobile: null }), entry.passwordExpiresAt)
    .run();
  const methodId = newId("mth");
  const target = `alt.${username}`;
  await env.DB.prepare(`insert into recovery_methods (id, user_id, type, status, target, hint, created_at, verified_at, origin) values (?, ?, 'email', 'active', ?, 'a•••', ?, ?, 'directory')`)
    .bind(methodId, id, target, now, now)
    .run();
  return { id, username, externalId: entry.externalId, dn: entry.dn, emailTarget: target, emailMethodId: methodId };
}
