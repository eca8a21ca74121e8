import type { LdapConfig } from "../config.js";
import { type OpenLdapPolicy, NO_POLICY, openLdapPolicyFrom } from "./account-state.js";
import type { ServiceConnection } from "./connection.js";
import { first } from "./entry.js";
import { adIntervalToMs } from "./time.js";

/** The domain's maxPwdAge in ms (null: passwords never expire in this domain), read from the naming context. */
export async function readAdMaxPasswordAge(connection: ServiceConnection): Promise<number | null> {
  return connection.run(async (client) => {
    const rootDse = await client.search("", { scope: "base", filter: "(objectClass=*)", attributes: ["defaultNamingContext"] });
    const namingContext = rootDse.searchEntries[0] && first(rootDse.searchEntries[0], "defaultNamingContext");
    if (!namingContext) return null;
    const domain = await client.search(namingContext, { scope: "base", filter: "(objectClass=*)", attributes: ["maxPwdAge"] });
    return adIntervalToMs(domain.searchEntries[0] && first(domain.searchEntries[0], "maxPwdAge"));
  });
}

/**
 * ppolicy entries by DN (the user's pwdPolicySubentry, else config ldap.passwordPolicyDn), read once
 * per cache; an unreadable policy counts as none rather than failing the user.
 */
export class OpenLdapPolicies {
  private readonly byDn = new Map<string, Promise<OpenLdapPolicy>>();

  constructor(
    private readonly ldap: LdapConfig,
    private readonly connection: ServiceConnection,
  ) {}

  forUser(policySubentry: string | undefined): Promise<OpenLdapPolicy> {
    const dn = policySubentry ?? this.ldap.passwordPolicyDn;
    if (!dn) return Promise.resolve(NO_POLICY);
    let policy = this.byDn.get(dn.toLowerCase());
    if (!policy) {
      policy = this.connection
        .run((client) => client.search(dn, { scope: "base", filter: "(objectClass=*)", attributes: ["pwdMaxAge", "pwdLockoutDuration"] }))
        .then((result) => openLdapPolicyFrom(result.searchEntries[0]))
        .catch(() => NO_POLICY);
      this.byDn.set(dn.toLowerCase(), policy);
    }
    return policy;
  }
}
