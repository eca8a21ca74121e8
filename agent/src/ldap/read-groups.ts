import type { Client, Entry } from "ldapts";
import type { LdapConfig } from "../config.js";
import type { ServiceConnection } from "./connection.js";
import { dnKey, first, rdnValue, values } from "./entry.js";

export const LDAP_PAGE_SIZE = 500;
const GROUP_NAME_MAX = 100;
/** Windows's default MaxValRange: the most values of one attribute AD returns per read. */
const AD_RANGE_STEP = 1500;

export interface DirectoryGroup {
  dn: string;
  name: string;
  /** dnKey()s of the members: users and nested groups. */
  members: string[];
}

const RANGED_MEMBER = /^member;range=\d+-(\d+|\*)$/i;

/**
 * The entry's ranged `member` attribute that holds values. ldapts also lists every requested
 * attribute the server did not return, as an empty array: an empty group answered without a range
 * still carries the `member;range=0-1499` we asked for, and following that would never end.
 */
const rangedKey = (entry: Entry) => Object.keys(entry).find((name) => RANGED_MEMBER.test(name) && values(entry, name).length > 0);

/**
 * AD returns at most 1500 values of `member` per read: past that, the entry carries
 * `member;range=0-1499` and the rest must be asked for range by range until one ends in `-*`.
 */
async function rangedMembers(client: Client, entry: Entry): Promise<string[]> {
  const firstKey = rangedKey(entry);
  if (!firstKey) return [...values(entry, "member"), ...values(entry, "uniqueMember")];
  const members = values(entry, firstKey);
  let end = RANGED_MEMBER.exec(firstKey)![1]!;
  while (end !== "*") {
    const start = Number(end) + 1;
    const result = await client.search(entry.dn, { scope: "base", filter: "(objectClass=*)", attributes: [`member;range=${start}-${start + AD_RANGE_STEP - 1}`] });
    const next = result.searchEntries[0];
    const key = next && rangedKey(next);
    if (!next || !key) break;
    members.push(...values(next, key));
    end = RANGED_MEMBER.exec(key)![1]!;
  }
  return members;
}

/** `uniqueMember` may carry a `#'0101'B` unique-id suffix that is not part of the DN. */
const memberDn = (value: string) => value.replace(/#'[01]*'B$/, "");

export interface GroupsRead {
  groups: DirectoryGroup[];
  /** Groups left out: no user goes unread for them, so the sync stays complete (warnings, not errors). */
  warnings: string[];
}

/** Every group under groupsBase with its complete member list (paged, 500 a page). */
export async function readGroups(ldap: LdapConfig, connection: ServiceConnection): Promise<GroupsRead> {
  const groups: DirectoryGroup[] = [];
  const warnings: string[] = [];
  await connection.run(async (client) => {
    groups.length = 0;
    warnings.length = 0;
    const pages = client.searchPaginated(ldap.groupsBase, {
      scope: "sub",
      filter: ldap.groupsFilter,
      // AD: ask for the first range outright. Windows ranges large groups on its own, Samba only
      // when asked; asking makes both answer the same way, and keeps each answer at 1500 values.
      attributes: ["cn", ldap.kind === "ad" ? `member;range=0-${AD_RANGE_STEP - 1}` : "member", "uniqueMember"],
      paged: { pageSize: LDAP_PAGE_SIZE },
    });
    for await (const page of pages) {
      for (const entry of page.searchEntries) {
        const name = first(entry, "cn") ?? rdnValue(entry.dn);
        if (name.length > GROUP_NAME_MAX) {
          warnings.push(`group ${entry.dn}: its cn is longer than ${GROUP_NAME_MAX} characters; skipped`);
          continue;
        }
        const members = (await rangedMembers(client, entry)).map((value) => dnKey(memberDn(value)));
        groups.push({ dn: entry.dn, name, members });
      }
    }
  });
  return { groups, warnings };
}

/**
 * Each member's groups, nested groups included (a member of `helpdesk`, itself a member of `staff`,
 * is in both), keyed by dnKey, sorted by name. Cycles in the nesting are harmless.
 */
export function membershipIndex(groups: DirectoryGroup[]): Map<string, DirectoryGroup[]> {
  const byDn = new Map(groups.map((group) => [dnKey(group.dn), group]));
  const direct = new Map<string, DirectoryGroup[]>();
  for (const group of groups) {
    for (const member of group.members) {
      const list = direct.get(member);
      if (list) list.push(group);
      else direct.set(member, [group]);
    }
  }
  const index = new Map<string, DirectoryGroup[]>();
  for (const member of direct.keys()) {
    if (byDn.has(member)) continue;
    const found = new Map<string, DirectoryGroup>();
    const queue = [...(direct.get(member) ?? [])];
    while (queue.length > 0) {
      const group = queue.pop()!;
      const key = dnKey(group.dn);
      if (found.has(key)) continue;
      found.set(key, group);
      queue.push(...(direct.get(key) ?? []));
    }
    index.set(member, [...found.values()].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0)));
  }
  return index;
}
