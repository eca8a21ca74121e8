import type { Entry } from "ldapts";
import { type DirectoryUser, directoryUserSchema } from "../../../shared/directory/protocol.js";
import type { LdapConfig } from "../config.js";
import { type AccountState, AD_STATE_ATTRIBUTES, adAccountState, OPENLDAP_STATE_ATTRIBUTES, openLdapAccountState } from "./account-state.js";
import type { ServiceConnection } from "./connection.js";
import { dnKey, first, firstBuffer, guidToString } from "./entry.js";
import { OpenLdapPolicies, readAdMaxPasswordAge } from "./policy.js";
import { type DirectoryGroup, LDAP_PAGE_SIZE } from "./read-groups.js";
import type { RoleGroups } from "./role-groups.js";

const USER_GROUPS_MAX = 1000;

export function userAttributes(ldap: LdapConfig): string[] {
  const mapped = [ldap.usernameAttribute, ldap.displayNameAttribute, ldap.emailAttribute, ldap.alternateEmailAttribute, ldap.mobileAttribute, ldap.disabledAttribute?.name];
  const own = ldap.kind === "ad" ? ["objectGUID", ...AD_STATE_ATTRIBUTES] : ["entryUUID", ...OPENLDAP_STATE_ATTRIBUTES];
  return [...new Set([...own, ...mapped.filter((name): name is string => Boolean(name))])];
}

export function externalIdOf(ldap: LdapConfig, entry: Entry): string | undefined {
  if (ldap.kind === "openldap") return first(entry, "entryUUID");
  const guid = firstBuffer(entry, "objectGUID");
  return guid ? guidToString(guid) : undefined;
}

const optional = (ldap: LdapConfig, entry: Entry, attribute: string | null, max: number) => {
  const value = attribute ? first(entry, attribute)?.trim() : undefined;
  return value && value.length <= max ? value : null;
};

/**
 * One entry as the worker's DirectoryUser; or `skipped` for an entry without the username attribute
 * (not an account anyone signs in with: usersFilter should leave it out; its absence must not stop the
 * sync from disabling users who left); or a string, an entry that should be a user but cannot be read,
 * which becomes a sync error.
 */
export function toDirectoryUser(
  ldap: LdapConfig,
  entry: Entry,
  memberOf: readonly DirectoryGroup[],
  roleGroups: RoleGroups,
  state: AccountState,
): DirectoryUser | string | { skipped: string } | { unusable: string; externalId: string } {
  const externalId = externalIdOf(ldap, entry);
  if (!externalId) return `${entry.dn}: no ${ldap.kind === "ad" ? "objectGUID" : "entryUUID"} readable by the service account; skipped`;
  const username = first(entry, ldap.usernameAttribute)?.trim();
  if (!username) return { skipped: `${entry.dn}: no ${ldap.usernameAttribute}` };
  const user = {
    externalId,
    dn: entry.dn,
    username,
    displayName: (first(entry, ldap.displayNameAttribute)?.trim() ?? username).slice(0, 200),
    email: optional(ldap, entry, ldap.emailAttribute, 254),
    alternateEmail: optional(ldap, entry, ldap.alternateEmailAttribute, 254),
    mobile: optional(ldap, entry, ldap.mobileAttribute, 40),
    groups: [...new Set(memberOf.map((group) => group.name))].slice(0, USER_GROUPS_MAX),
    roles: roleGroups.rolesOf(memberOf),
    ...state,
  };
  const parsed = directoryUserSchema.safeParse(user);
  if (!parsed.success) return { unusable: `${entry.dn}: ${parsed.error.issues[0]?.path.join(".")} is not usable (${parsed.error.issues[0]?.message}); left as it was`, externalId };
  return parsed.data;
}

export interface UsersRead {
  users: DirectoryUser[];
  errors: string[];
  skipped: string[];
  /**
   * Entries that are users but carry a value OpenSSPR cannot store (a username too long, say): their
   * accounts are neither updated nor counted as gone, and the read stays complete, so one such entry
   * does not stop every sync from disabling the users who left.
   */
  unusable: { externalId: string; message: string; disabled: boolean }[];
}

/** Every user under usersBase matching usersFilter (paged, 500 a page), with groups from `membership`. */
export async function readUsers(ldap: LdapConfig, connection: ServiceConnection, membership: Map<string, DirectoryGroup[]>, roleGroups: RoleGroups, now: number): Promise<UsersRead> {
  const maxPasswordAge = ldap.kind === "ad" ? await readAdMaxPasswordAge(connection) : null;
  const policies = new OpenLdapPolicies(ldap, connection);
  const users: DirectoryUser[] = [];
  const errors: string[] = [];
  const skipped: string[] = [];
  const unusable: UsersRead["unusable"] = [];
  await connection.run(async (client) => {
    users.length = 0;
    errors.length = 0;
    skipped.length = 0;
    unusable.length = 0;
    const pages = client.searchPaginated(ldap.usersBase, {
      scope: "sub",
      filter: ldap.usersFilter,
      attributes: userAttributes(ldap),
      explicitBufferAttributes: ldap.kind === "ad" ? ["objectGUID"] : [],
      paged: { pageSize: LDAP_PAGE_SIZE },
    });
    for await (const page of pages) {
      for (const entry of page.searchEntries) {
        const state =
          ldap.kind === "ad"
            ? adAccountState(entry, ldap, maxPasswordAge, now)
            : openLdapAccountState(entry, ldap, await policies.forUser(first(entry, "pwdPolicySubentry")));
        const user = toDirectoryUser(ldap, entry, membership.get(dnKey(entry.dn)) ?? [], roleGroups, state);
        if (typeof user === "string") errors.push(user);
        else if ("skipped" in user) skipped.push(user.skipped);
        else if ("unusable" in user) unusable.push({ externalId: user.externalId, message: user.unusable, disabled: state.disabled });
        else users.push(user);
      }
    }
  });
  return { users, errors, skipped, unusable };
}
