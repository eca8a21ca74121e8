import type { Role } from "../../../shared/api/common.js";
import type { LdapConfig } from "../config.js";
import { dnKey } from "./entry.js";
import type { DirectoryGroup } from "./read-groups.js";

/** A roleGroups entry naming a group by its DN rather than its cn. */
const isDn = (value: string) => /^[A-Za-z][\w-]*\s*=.+,/.test(value);

export interface RoleGroups {
  /** The OpenSSPR roles a member of these groups (nested ones included) gets. */
  rolesOf(groups: readonly DirectoryGroup[]): Role[];
  /** What the admin should fix in roleGroups; said in the sync's errors, not counted as read errors. */
  warnings: string[];
}

/**
 * The groups each role comes from. A cn is unique only within its container: anyone allowed to create
 * a group in some OU under groupsBase could make one named like a role group and join it. So a cn that
 * names more than one group grants the role through none of them, with a warning to name the intended
 * group by its DN; a DN names exactly one.
 */
export function resolveRoleGroups(ldap: LdapConfig, groups: readonly DirectoryGroup[]): RoleGroups {
  const byName = new Map<string, DirectoryGroup[]>();
  for (const group of groups) {
    const key = group.name.toLowerCase();
    byName.set(key, [...(byName.get(key) ?? []), group]);
  }
  const dns = new Set(groups.map((group) => dnKey(group.dn)));
  const warnings: string[] = [];
  const granting = (role: "password_admin" | "global_admin"): Set<string> => {
    const keys = new Set<string>();
    for (const value of ldap.roleGroups[role]) {
      if (isDn(value)) {
        if (dns.has(dnKey(value))) keys.add(dnKey(value));
        else warnings.push(`roleGroups.${role}: no group ${value} under groupsBase matching groupsFilter; nobody gets the role from it.`);
        continue;
      }
      const named = byName.get(value.toLowerCase()) ?? [];
      if (named.length > 1) {
        const list = named.map((group) => group.dn).join("; ");
        warnings.push(`roleGroups.${role}: "${value}" is the cn of ${named.length} groups (${list}); nobody gets the role from it. Name the group you mean by its DN.`);
      } else if (named.length === 1) keys.add(dnKey(named[0]!.dn));
    }
    return keys;
  };
  const passwordAdmin = granting("password_admin");
  const globalAdmin = granting("global_admin");
  return {
    warnings,
    rolesOf(memberOf) {
      const keys = new Set(memberOf.map((group) => dnKey(group.dn)));
      const roles: Role[] = ["user"];
      if ([...passwordAdmin].some((key) => keys.has(key))) roles.push("password_admin");
      if ([...globalAdmin].some((key) => keys.has(key))) roles.push("global_admin");
      return roles;
    },
  };
}
