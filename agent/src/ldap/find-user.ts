import { AndFilter, EqualityFilter, type Entry, type Filter, FilterParser } from "ldapts";
import type { UserRef } from "../../../shared/directory/protocol.js";
import type { LdapConfig } from "../config.js";
import type { ServiceConnection } from "./connection.js";
import { guidToBytes } from "./entry.js";

/**
 * The filter matching an entry's stable id: AD objectGUID as its 16 raw bytes (a filter string would
 * send bytes above 0x7f as UTF-8), OpenLDAP entryUUID. A filter object, so no value is ever parsed as
 * filter syntax.
 */
export function externalIdFilter(ldap: LdapConfig, externalId: string): Filter | null {
  if (ldap.kind === "ad") {
    const bytes = guidToBytes(externalId);
    return bytes ? new EqualityFilter({ attribute: "objectGUID", value: bytes }) : null;
  }
  return new EqualityFilter({ attribute: "entryUUID", value: externalId });
}

/**
 * The user's entry, found by its stable id under usersBase so a renamed or moved entry is still found;
 * null when the directory no longer has it, or it no longer matches usersFilter: an entry the admin
 * took out of OpenSSPR's scope (a group left, an account type excluded) is not signed in, reset or
 * unlocked through it, even before the next sync disables its account.
 */
export async function findUserEntry(ldap: LdapConfig, connection: ServiceConnection, user: UserRef, attributes: string[]): Promise<Entry | null> {
  const byId = externalIdFilter(ldap, user.externalId);
  if (!byId) return null;
  const filter = new AndFilter({ filters: [byId, FilterParser.parseString(ldap.usersFilter)] });
  const result = await connection.run((client) => client.search(ldap.usersBase, { scope: "sub", filter, attributes, sizeLimit: 2 }));
  return result.searchEntries.length === 1 ? result.searchEntries[0]! : null;
}
