import { ResultCodeError } from "ldapts";
import type { LdapConfig } from "../config.js";
import { AgentFatalError } from "../fatal.js";
import type { DirectoryRead } from "../sync.js";
import type { ServiceConnection } from "./connection.js";
import { LDAP_NO_SUCH_OBJECT, LDAP_SIZE_LIMIT_EXCEEDED, serverText } from "./errors.js";
import { membershipIndex, readGroups } from "./read-groups.js";
import { readLockoutThreshold } from "./policy.js";
import { readUsers } from "./read-users.js";
import { resolveRoleGroups } from "./role-groups.js";

/**
 * A setting the directory rejects (a base that does not exist, a filter it cannot parse) is the
 * admin's to fix, so it is reported against the config field rather than retried.
 */
async function asConfigured<T>(field: string, read: () => Promise<T>): Promise<T> {
  try {
    return await read();
  } catch (error) {
    if (error instanceof ResultCodeError && error.code === LDAP_NO_SUCH_OBJECT) throw new AgentFatalError(`config ${field}: no such entry in the directory`);
    // OpenLDAP's default (500 entries) applies to paged searches too; only the directory's admin can lift it.
    if (error instanceof ResultCodeError && error.code === LDAP_SIZE_LIMIT_EXCEEDED) {
      throw new AgentFatalError(`config ${field}: the directory stopped the search at its size limit; lift it for ldap.bindDn (OpenLDAP: limits dn.exact="<bindDn>" size=unlimited)`);
    }
    if (error instanceof Error && /filter/i.test(error.message) && !(error instanceof ResultCodeError)) throw new AgentFatalError(`config ${field.replace(/Base$/, "Filter")}: ${serverText(error)}`);
    throw error;
  }
}

/**
 * Users with their groups. Membership comes from the groups' member lists under groupsBase (read
 * whole, AD ranges included, nested groups followed), never from memberOf: memberOf does not follow
 * nesting and names groups outside groupsBase, and OpenLDAP keeps it only with the memberof overlay.
 * Neither source holds AD's primary group (primaryGroupID), so "Domain Users" is not reported.
 */
export async function readDirectory(ldap: LdapConfig, connection: ServiceConnection, now: () => number = Date.now): Promise<DirectoryRead> {
  const groups = await asConfigured("ldap.groupsBase", () => readGroups(ldap, connection));
  const roleGroups = resolveRoleGroups(ldap, groups.groups);
  const users = await asConfigured("ldap.usersBase", () => readUsers(ldap, connection, membershipIndex(groups.groups), roleGroups, now()));
  return {
    users: users.users,
    groups: [...new Set(groups.groups.map((group) => group.name))],
    errors: users.errors,
    warnings: [...groups.warnings, ...roleGroups.warnings, ...users.unusable.map((entry) => entry.message)],
    // One the directory disables is not seen: the sync disables its account, whatever else it holds.
    seen: users.unusable.filter((entry) => !entry.disabled).map((entry) => entry.externalId),
    skipped: users.skipped,
    lockoutThreshold: await readLockoutThreshold(ldap, connection),
  };
}
