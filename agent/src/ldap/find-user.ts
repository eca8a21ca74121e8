import { EqualityFilter, type Entry, type Filter } from "ldapts";
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
 * null when the directory no longer has it.
 */
export async function findUserEntry(ldap: LdapConfig, connection: ServiceConnection, user: UserRef, attributes: string[]): Promise<Entry | null> {
  const filter = externalIdFilter(ldap, user.externalId);
  if (!filter) return null;
  const result = await connection.run((client) => client.search(ldap.usersBase, { scope: "sub", filter, attributes, sizeLimit: 2 }));
  return result.searchEntries.length === 1 ? result.searchEntries[0]! : null;
}
