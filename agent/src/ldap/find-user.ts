import type { Entry } from "ldapts";
import type { UserRef } from "../../../shared/directory/protocol.js";
import type { LdapConfig } from "../config.js";
import type { ServiceConnection } from "./connection.js";
import { guidToFilterValue } from "./entry.js";

/** RFC 4515 escaping of a filter value. */
export const escapeFilterValue = (value: string) => value.replace(/[\\*()\0]/g, (character) => `\\${character.charCodeAt(0).toString(16).padStart(2, "0")}`);

/** The filter matching an entry's stable id: AD objectGUID (as escaped bytes), OpenLDAP entryUUID. */
export function externalIdFilter(ldap: LdapConfig, externalId: string): string | null {
  if (ldap.kind === "ad") {
    const bytes = guidToFilterValue(externalId);
    return bytes ? `(objectGUID=${bytes})` : null;
  }
  return `(entryUUID=${escapeFilterValue(externalId)})`;
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
