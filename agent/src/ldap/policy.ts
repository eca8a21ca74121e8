import type { LdapConfig } from "../config.js";
import { type OpenLdapPolicy, NO_POLICY, openLdapPolicyFrom } from "./account-state.js";
import type { ServiceConnection } from "./connection.js";
import { first } from "./entry.js";
import { adIntervalToMs } from "./time.js";

/** One attribute of the AD domain object (the naming context the rootDSE names); undefined when unreadable. */
function readAdDomainAttribute(connection: ServiceConnection, attribute: string): Promise<string | undefined> {
  return connection.run(async (client) => {
    const rootDse = await client.search("", { scope: "base", filter: "(objectClass=*)", attributes: ["defaultNamingContext"] });
    const namingContext = rootDse.searchEntries[0] && first(rootDse.searchEntries[0], "defaultNamingContext");
    if (!namingContext) return undefined;
    const domain = await client.search(namingContext, { scope: "base", filter: "(objectClass=*)", attributes: [attribute] });
    return domain.searchEntries[0] && first(domain.searchEntries[0], attribute);
  });
}

/** The domain's maxPwdAge in ms (null: passwords never expire in this domain), read from the naming context. */
export async function readAdMaxPasswordAge(connection: ServiceConnection): Promise<number | null> {
  return adIntervalToMs(await readAdDomainAttribute(connection, "maxPwdAge"));
}

/** How long a read policy is trusted: an admin's change to it reaches the agent within this, without a restart. */
export const POLICY_CACHE_MS = 5 * 60_000;

/**
 * Failed binds after which the directory locks an account: AD's domain `lockoutThreshold`, or
 * ppolicy's `pwdMaxFailure` in the default policy entry (ldap.passwordPolicyDn) when `pwdLockout` is
 * on. Null when the directory locks no one, or the setting cannot be read (the sync goes on).
 */
export async function readLockoutThreshold(ldap: LdapConfig, connection: ServiceConnection): Promise<number | null> {
  const positive = (value: string | undefined) => {
    const n = Number(value ?? "0");
    return Number.isInteger(n) && n > 0 ? n : null;
  };
  try {
    if (ldap.kind === "ad") return positive(await readAdDomainAttribute(connection, "lockoutThreshold"));
    const dn = ldap.passwordPolicyDn;
    if (!dn) return null;
    const result = await connection.run((client) => client.search(dn, { scope: "base", filter: "(objectClass=*)", attributes: ["pwdLockout", "pwdMaxFailure"] }));
    const entry = result.searchEntries[0];
    return entry && first(entry, "pwdLockout")?.toUpperCase() === "TRUE" ? positive(first(entry, "pwdMaxFailure")) : null;
  } catch {
    return null;
  }
}

/**
 * ppolicy entries by DN (the user's pwdPolicySubentry, else config ldap.passwordPolicyDn), read again
 * after POLICY_CACHE_MS; an unreadable policy counts as none for that one answer rather than failing
 * the user, and is not kept, so the next answer reads it again.
 */
export class OpenLdapPolicies {
  private readonly byDn = new Map<string, { policy: Promise<OpenLdapPolicy>; readAt: number }>();

  constructor(
    private readonly ldap: LdapConfig,
    private readonly connection: ServiceConnection,
    private readonly now: () => number = Date.now,
  ) {}

  forUser(policySubentry: string | undefined): Promise<OpenLdapPolicy> {
    const dn = policySubentry ?? this.ldap.passwordPolicyDn;
    if (!dn) return Promise.resolve(NO_POLICY);
    const key = dn.toLowerCase();
    const cached = this.byDn.get(key);
    if (cached && this.now() - cached.readAt < POLICY_CACHE_MS) return cached.policy;
    const read = { readAt: this.now(), policy: Promise.resolve(NO_POLICY) };
    read.policy = this.connection
      .run((client) => client.search(dn, { scope: "base", filter: "(objectClass=*)", attributes: ["pwdMaxAge", "pwdLockoutDuration"] }))
      .then((result) => openLdapPolicyFrom(result.searchEntries[0]))
      .catch(() => {
        if (this.byDn.get(key) === read) this.byDn.delete(key);
        return NO_POLICY;
      });
    this.byDn.set(key, read);
    return read.policy;
  }
}
