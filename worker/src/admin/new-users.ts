import type { Locale } from "../../../shared/locale.js";
import { sql } from "drizzle-orm";
import type { CreateUserRequest } from "../../../shared/api/admin.js";
import type { Role } from "../../../shared/api/common.js";
import { isValidUsername, normaliseUsername, searchFold } from "../../../shared/username.js";
import type { Db } from "../context.js";
import { newId } from "../crypto/random.js";
import { rawStatement } from "../db/raw.js";
import { auditEvents, recoveryMethods, users } from "../db/schema.js";
import { invalidRequest } from "../errors.js";
import { emailHint, phoneHint } from "../methods/hints.js";
import { smsCountryAllowed, smsCountryRefused, toE164Mobile } from "../methods/phone.js";
import { normaliseRoles, uniqueSorted } from "./access.js";

export interface NewMethod {
  id: string;
  type: "email" | "sms";
  target: string;
  hint: string;
}

/** A checked row of POST /v1/admin/users or of an import, before its password is settled. */
export interface NewUser {
  id: string;
  username: string;
  displayName: string;
  email: string | null;
  roles: Role[];
  groups: string[];
  passwordNeverExpires: boolean;
  locale: Locale | null;
  methods: NewMethod[];
}

/** What is stored: the row plus its password hash (null: no password yet, see the import). */
export interface StoredUser extends NewUser {
  passwordHash: string | null;
  mustChangePassword: boolean;
}

/**
 * Checks what the schema cannot (username form, a mobile number: 400; a number outside the policy's
 * `methods.smsCountries`: 422, as when the user adds it).
 */
export function prepareNewUser(input: CreateUserRequest, smsCountries: readonly string[]): NewUser {
  const username = normaliseUsername(input.username);
  if (!isValidUsername(username)) throw invalidRequest([{ path: "username", message: "Not a valid username." }]);
  const id = newId("usr");
  const methods: NewMethod[] = [];
  if (input.email !== undefined) methods.push({ id: newId("mth"), type: "email", target: input.email, hint: emailHint(input.email) });
  if (input.phone !== undefined) {
    const e164 = toE164Mobile(input.phone);
    if (!e164) throw invalidRequest([{ path: "phone", message: "Not a mobile number in international form (+…)." }]);
    if (!smsCountryAllowed(e164, smsCountries)) throw smsCountryRefused(smsCountries, "phone");
    methods.push({ id: newId("mth"), type: "sms", target: e164, hint: phoneHint(e164) });
  }
  return {
    id,
    username,
    displayName: input.displayName,
    email: input.email ?? null,
    roles: normaliseRoles(input.roles ?? ["user"]),
    groups: uniqueSorted(input.groups ?? []),
    passwordNeverExpires: input.passwordNeverExpires ?? false,
    locale: input.locale ?? null,
    methods,
  };
}

export interface Actor {
  actorId: string;
  ip: string | null;
  now: number;
}

const field = (name: string) => sql.raw(`json_extract(value, '$.${name}')`);

/**
 * Inserts any number of users, their methods and one `admin.user_created` row each in three
 * statements, whatever the count: the rows travel as one JSON parameter read with json_each. That
 * keeps a 1000-row import inside D1's limits (100 bound parameters per statement, statements per
 * batch) and in one round trip. A username taken meanwhile is skipped (ON CONFLICT DO NOTHING), and
 * its methods and audit row are skipped with it, so a failed row leaves nothing behind.
 */
export function insertUsersStatements(db: Db, rows: StoredUser[], actor: Actor) {
  const userJson = JSON.stringify(
    rows.map((r) => ({
      id: r.id,
      username: r.username,
      displayName: r.displayName,
      displayNameFolded: searchFold(r.displayName),
      email: r.email,
      roles: JSON.stringify(r.roles),
      groups: JSON.stringify(r.groups),
      locale: r.locale,
      mustChange: r.mustChangePassword ? 1 : 0,
      neverExpires: r.passwordNeverExpires ? 1 : 0,
      hash: r.passwordHash,
      changedAt: r.passwordHash ? actor.now : null,
      detail: JSON.stringify({ username: r.username, roles: r.roles, groups: r.groups, methods: r.methods.map((m) => m.type), passwordSet: !!r.passwordHash, mustChangePassword: r.mustChangePassword, ...(r.passwordNeverExpires ? { passwordNeverExpires: true } : {}) }),
    })),
  );
  const methodJson = JSON.stringify(rows.flatMap((r) => r.methods.map((m) => ({ ...m, userId: r.id }))));
  const created = (idField: ReturnType<typeof field>) => sql`exists (select 1 from ${users} where ${users.id} = ${idField})`;
  return [
    // `where true` lets SQLite parse ON CONFLICT after INSERT … SELECT (its documented ambiguity rule).
    rawStatement(db, sql`insert into ${users} (id, username, display_name, display_name_folded, email, roles, groups, must_change_password, password_never_expires, password_hash, password_history, password_changed_at, created_at, locale)
      select ${field("id")}, ${field("username")}, ${field("displayName")}, ${field("displayNameFolded")}, ${field("email")}, ${field("roles")}, ${field("groups")},
        ${field("mustChange")}, ${field("neverExpires")}, ${field("hash")}, '[]', ${field("changedAt")}, ${actor.now}, ${field("locale")}
      from json_each(${userJson}) where true on conflict do nothing`),
    rawStatement(db, sql`insert into ${recoveryMethods} (id, user_id, type, status, target, hint, created_at, verified_at)
      select ${field("id")}, ${field("userId")}, ${field("type")}, 'active', ${field("target")}, ${field("hint")}, ${actor.now}, ${actor.now}
      from json_each(${methodJson}) where ${created(field("userId"))}`),
    rawStatement(db, sql`insert into ${auditEvents} (at, type, actor_id, subject_id, ip, outcome, detail)
      select ${actor.now}, 'admin.user_created', ${actor.actorId}, ${field("id")}, ${actor.ip}, 'success', ${field("detail")}
      from json_each(${userJson}) where ${created(field("id"))}`),
  ] as const;
}

/** The ids among `ids` that exist after the inserts: a row missing here lost a race for its username. */
export const existingIds = (db: Db, ids: string[]) =>
  rawStatement(db, sql`select id from ${users} where id in (select value from json_each(${JSON.stringify(ids)}))`);
