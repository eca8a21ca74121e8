import type { Entry } from "ldapts";
import type { LdapConfig } from "../config.js";
import { first, values } from "./entry.js";
import { FILETIME_NEVER, fileTimeToEpochMs, generalizedTimeToEpochMs } from "./time.js";

export interface AccountState {
  disabled: boolean;
  passwordChangedAt: number | null;
  passwordExpiresAt: number | null;
  passwordNeverExpires: boolean;
  mustChangePassword: boolean;
}

export const UAC_ACCOUNTDISABLE = 0x2;
export const UAC_DONT_EXPIRE_PASSWORD = 0x10000;
/** OpenLDAP ppolicy's value for a lock an administrator set (as opposed to one after failed binds). */
export const PPOLICY_ADMIN_LOCK = "000001010000Z";

export const AD_STATE_ATTRIBUTES = ["userAccountControl", "pwdLastSet", "accountExpires", "lockoutTime", "msDS-UserPasswordExpiryTimeComputed"];
export const OPENLDAP_STATE_ATTRIBUTES = ["pwdAccountLockedTime", "pwdChangedTime", "pwdReset", "pwdPolicySubentry", "pwdFailureTime"];

function configuredDisabled(entry: Entry, ldap: LdapConfig): boolean {
  if (!ldap.disabledAttribute) return false;
  const wanted = new Set(ldap.disabledAttribute.values.map((value) => value.toLowerCase()));
  return values(entry, ldap.disabledAttribute.name).some((value) => wanted.has(value.toLowerCase()));
}

/**
 * AD: disabled is UAC bit 2 (or an expired account); expiry comes from the constructed
 * `msDS-UserPasswordExpiryTimeComputed` when the DC offers it, else pwdLastSet + the domain's maxPwdAge.
 * `pwdLastSet = 0` means "must change at next sign-in" and has no expiry of its own.
 */
export function adAccountState(entry: Entry, ldap: LdapConfig, domainMaxPwdAgeMs: number | null, now: number): AccountState {
  const uac = Number(first(entry, "userAccountControl") ?? "0");
  const pwdLastSet = first(entry, "pwdLastSet")?.trim();
  const mustChangePassword = pwdLastSet === "0";
  const passwordChangedAt = fileTimeToEpochMs(pwdLastSet);
  const accountExpiresAt = fileTimeToEpochMs(first(entry, "accountExpires"));
  const flagNeverExpires = (uac & UAC_DONT_EXPIRE_PASSWORD) !== 0;
  const computedRaw = first(entry, "msDS-UserPasswordExpiryTimeComputed")?.trim();

  let passwordNeverExpires = flagNeverExpires || domainMaxPwdAgeMs === null;
  let passwordExpiresAt: number | null = null;
  if (!passwordNeverExpires && !mustChangePassword) {
    if (computedRaw !== undefined && /^\d+$/.test(computedRaw)) {
      if (BigInt(computedRaw) >= FILETIME_NEVER) passwordNeverExpires = true;
      else passwordExpiresAt = fileTimeToEpochMs(computedRaw);
    } else if (passwordChangedAt !== null && domainMaxPwdAgeMs !== null) {
      passwordExpiresAt = passwordChangedAt + domainMaxPwdAgeMs;
    }
  }
  return {
    disabled: (uac & UAC_ACCOUNTDISABLE) !== 0 || (accountExpiresAt !== null && accountExpiresAt <= now) || configuredDisabled(entry, ldap),
    passwordChangedAt,
    passwordExpiresAt,
    passwordNeverExpires,
    mustChangePassword,
  };
}

export interface OpenLdapPolicy {
  /** pwdMaxAge in ms; null when the policy sets none (0 or absent). */
  maxAgeMs: number | null;
  /** pwdLockoutDuration in ms; null: a failure lock lasts until an administrator clears it. */
  lockoutDurationMs: number | null;
}

export const NO_POLICY: OpenLdapPolicy = { maxAgeMs: null, lockoutDurationMs: null };

export function openLdapPolicyFrom(entry: Entry | undefined): OpenLdapPolicy {
  if (!entry) return NO_POLICY;
  const seconds = (attribute: string) => {
    const value = Number(first(entry, attribute) ?? "0");
    return Number.isFinite(value) && value > 0 ? value * 1000 : null;
  };
  return { maxAgeMs: seconds("pwdMaxAge"), lockoutDurationMs: seconds("pwdLockoutDuration") };
}

/**
 * OpenLDAP ppolicy: disabled is the administrator's lock `000001010000Z`; expiry is pwdChangedTime +
 * pwdMaxAge (ppolicy enforces no expiry for an entry without pwdChangedTime).
 */
export function openLdapAccountState(entry: Entry, ldap: LdapConfig, policy: OpenLdapPolicy): AccountState {
  const passwordChangedAt = generalizedTimeToEpochMs(first(entry, "pwdChangedTime"));
  return {
    disabled: first(entry, "pwdAccountLockedTime") === PPOLICY_ADMIN_LOCK || configuredDisabled(entry, ldap),
    passwordChangedAt,
    passwordExpiresAt: policy.maxAgeMs !== null && passwordChangedAt !== null ? passwordChangedAt + policy.maxAgeMs : null,
    passwordNeverExpires: policy.maxAgeMs === null,
    mustChangePassword: first(entry, "pwdReset")?.toUpperCase() === "TRUE",
  };
}

/** A lock set after failed binds that is still in force (ppolicy's duration may have run out). */
export function openLdapFailureLocked(entry: Entry, policy: OpenLdapPolicy, now: number): boolean {
  const lockedTime = first(entry, "pwdAccountLockedTime");
  if (lockedTime === undefined || lockedTime === PPOLICY_ADMIN_LOCK) return false;
  if (policy.lockoutDurationMs === null) return true;
  const lockedAt = generalizedTimeToEpochMs(lockedTime);
  return lockedAt === null || lockedAt + policy.lockoutDurationMs > now;
}
