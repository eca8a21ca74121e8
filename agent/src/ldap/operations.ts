import type { ConnectionOptions } from "node:tls";
import { Attribute, Change, type Client, type Entry } from "ldapts";
import type { JobResult, UserRef } from "../../../shared/directory/protocol.js";
import type { LdapConfig } from "../config.js";
import { AD_STATE_ATTRIBUTES, OPENLDAP_STATE_ATTRIBUTES, PPOLICY_ADMIN_LOCK, UAC_ACCOUNTDISABLE, openLdapFailureLocked } from "./account-state.js";
import { type ServiceConnection, withUserBind, WriteWindowClosed } from "./connection.js";
import { PASSWORD_MODIFY_OID, PasswordPolicyControl, PolicyHintsControl, passwordModifyValue, unicodePwd } from "./controls.js";
import { first } from "./entry.js";
import { adBindFailure, adPasswordRefusal, failure, type Failure, LDAP_INVALID_CREDENTIALS, openLdapPasswordRefusal, resultCode, serverText } from "./errors.js";
import { findUserEntry } from "./find-user.js";
import { OpenLdapPolicies } from "./policy.js";
import { log } from "../log.js";

const OK: JobResult = { ok: true };
const NOT_FOUND = failure("not_found", "no such entry in the directory");

/**
 * A password write starts only this soon after its job arrived. The worker answers 503 "nothing was
 * changed" after 20 s without an answer: a write begun later than this, on a directory that slow,
 * could land after that answer. Refusing to start keeps the answer true.
 */
export const WRITE_START_WINDOW_MS = 5_000;
const TOO_SLOW = failure("error", "the directory answered too slowly to set the password in time; nothing was changed");

export type SetPasswordMode = "reset" | "admin" | "change";

interface PasswordSet {
  entry: Entry;
  mode: SetPasswordMode;
  password: string;
  currentPassword: string | undefined;
  mustChange: boolean;
  /** No write starts after this (WRITE_START_WINDOW_MS). */
  startBy: number;
  /** Nor once the worker cancelled the job. */
  wanted: () => boolean;
}

/** Binds, password sets and unlocks, as the directory's own rules decide them. */
export class DirectoryOperations {
  private readonly policies: OpenLdapPolicies;

  constructor(
    private readonly ldap: LdapConfig,
    private readonly tls: ConnectionOptions | undefined,
    private readonly service: ServiceConnection,
    private readonly now: () => number = Date.now,
  ) {
    this.policies = new OpenLdapPolicies(ldap, service, now);
  }

  private find(user: UserRef): Promise<Entry | null> {
    return findUserEntry(this.ldap, this.service, user, this.ldap.kind === "ad" ? AD_STATE_ATTRIBUTES : OPENLDAP_STATE_ATTRIBUTES);
  }

  private asUser<T>(dn: string, password: string, operation: (client: Client) => Promise<T>, ppolicy?: PasswordPolicyControl): Promise<T> {
    return withUserBind(this.ldap, this.tls, dn, password, operation, ppolicy && [ppolicy]);
  }

  async bind(user: UserRef, password: string): Promise<JobResult> {
    // An empty password would be an unauthenticated bind, which LDAP servers accept.
    if (password === "") return failure("invalid_credentials", "wrong username or password");
    const entry = await this.find(user);
    if (!entry) {
      await this.bindInVain(password);
      return NOT_FOUND;
    }
    const ppolicy = this.ldap.kind === "openldap" ? new PasswordPolicyControl() : undefined;
    try {
      await this.asUser(entry.dn, password, async () => undefined, ppolicy);
    } catch (error) {
      return ppolicy ? this.openLdapBindFailure(entry, error, ppolicy) : adBindFailure(error);
    }
    if (this.ldap.kind === "openldap" && first(entry, "pwdReset")?.toUpperCase() === "TRUE") {
      return failure("must_change", "the directory requires a new password at next sign-in");
    }
    return OK;
  }

  /**
   * A bind as a DN that names no entry, for a user the directory has not got (the worker's decoy binds
   * for unknown names among them): the same connection and bind a wrong password costs, so how long the
   * answer takes does not tell whether the name exists. No account's failure count moves.
   */
  private async bindInVain(password: string): Promise<void> {
    await this.asUser(`cn=opensspr-no-such-entry,${this.ldap.usersBase}`, password, async () => undefined).catch(() => undefined);
  }

  /**
   * slapd answers 49 alike for a wrong password, a locked account and a right but expired password.
   * An expiry counts only when slapd's password policy control says so: the worker lets an expired
   * password sign in (to change it), so the entry's own dates, which say nothing about the password
   * typed, must never stand in for that proof. A lock needs none (it signs nobody in), so the entry as
   * it was before the bind tells it.
   */
  private async openLdapBindFailure(entry: Entry, error: unknown, ppolicy: PasswordPolicyControl): Promise<Failure> {
    if (resultCode(error) !== LDAP_INVALID_CREDENTIALS) return failure("error", `bind failed: ${serverText(error)}`);
    if (first(entry, "pwdAccountLockedTime") === PPOLICY_ADMIN_LOCK) return failure("disabled", "the account is locked by an administrator in the directory");
    const policy = await this.policies.forUser(first(entry, "pwdPolicySubentry"));
    if (openLdapFailureLocked(entry, policy, this.now())) return failure("locked", "the directory has locked this account after failed sign-ins");
    if (ppolicy.error === PasswordPolicyControl.PASSWORD_EXPIRED) return failure("expired", "the password has expired in the directory");
    return failure("invalid_credentials", "wrong username or password");
  }

  /** `wanted`: false once the worker cancelled the job (it stopped waiting); checked with the write window. */
  async setPassword(user: UserRef, mode: SetPasswordMode, password: string, currentPassword: string | undefined, mustChange: boolean, wanted: () => boolean = () => true): Promise<JobResult> {
    if (mode === "change" && !currentPassword) return failure("wrong_current", "the current password is wrong");
    const startBy = this.now() + WRITE_START_WINDOW_MS;
    const entry = await this.find(user);
    if (!entry) return NOT_FOUND;
    const set = { entry, mode, password, currentPassword, mustChange, startBy, wanted };
    return this.ldap.kind === "ad" ? this.setAdPassword(set) : this.setOpenLdapPassword(set);
  }

  private tooLate(set: PasswordSet): boolean {
    return this.now() > set.startBy || !set.wanted();
  }

  /** The check right before a write goes out, for ServiceConnection.write and user-bound writes alike. */
  private inTime(set: PasswordSet): () => boolean {
    return () => !this.tooLate(set);
  }

  /** A user-bound write, sent only if still in time once the user's bind is done. */
  private whenInTime<T>(set: PasswordSet, write: (client: Client) => Promise<T>): (client: Client) => Promise<T> {
    return (client) => (this.tooLate(set) ? Promise.reject(new WriteWindowClosed()) : write(client));
  }

  /**
   * After the password went in, a failure to set the must-change flag is only logged: answering
   * "error" would tell the admin nothing changed while the directory holds a temporary password
   * nobody was shown. The worker still makes its own sessions change it first. Sent whatever the
   * window or a cancel says by now: the password is in, and must not stay in without its flag.
   */
  private async flagMustChange(set: PasswordSet, change: Change, name: string): Promise<void> {
    const { entry } = set;
    try {
      await this.service.write((client) => client.modify(entry.dn, change), () => true);
    } catch (error) {
      log(`warning: the password of ${entry.dn} was set, but ${name} could not be set (${serverText(error)}); the directory will not ask for a new one at its own sign-ins`);
    }
  }

  private async setOpenLdapPassword(set: PasswordSet): Promise<JobResult> {
    const { entry, mode, password, currentPassword } = set;
    if (this.tooLate(set)) return TOO_SLOW;
    if (mode === "change") {
      const ppolicy = new PasswordPolicyControl();
      try {
        await this.asUser(entry.dn, currentPassword!, this.whenInTime(set, (client) => client.exop(PASSWORD_MODIFY_OID, passwordModifyValue(entry.dn, password, currentPassword))), ppolicy);
        return OK;
      } catch (error) {
        if (error instanceof WriteWindowClosed) return TOO_SLOW;
        if (resultCode(error) !== LDAP_INVALID_CREDENTIALS) return openLdapPasswordRefusal(error);
        const bindFailure = await this.openLdapBindFailure(entry, error, ppolicy);
        if (bindFailure.reason === "invalid_credentials") return failure("wrong_current", "the current password is wrong");
        // slapd allows no bind with an expired password but said this one was right: the service
        // account sets the new one, and ppolicy's quality and history rules still apply to it.
        if (bindFailure.reason !== "expired") return bindFailure;
      }
    }
    try {
      await this.service.write((client) => client.exop(PASSWORD_MODIFY_OID, passwordModifyValue(entry.dn, password)), this.inTime(set));
    } catch (error) {
      return error instanceof WriteWindowClosed ? TOO_SLOW : openLdapPasswordRefusal(error);
    }
    if (mode === "admin" && set.mustChange) {
      await this.flagMustChange(set, new Change({ operation: "replace", modification: new Attribute({ type: "pwdReset", values: ["TRUE"] }) }), "pwdReset");
    }
    return OK;
  }

  private async adminSetAdPassword(set: PasswordSet): Promise<void> {
    const change = new Change({ operation: "replace", modification: new Attribute({ type: "unicodePwd", values: [unicodePwd(set.password)] }) });
    await this.service.write((client) => client.modify(set.entry.dn, change, new PolicyHintsControl()), this.inTime(set));
  }

  private async setAdPassword(set: PasswordSet): Promise<JobResult> {
    const { entry, mode, password, currentPassword } = set;
    if (this.tooLate(set)) return TOO_SLOW;
    if (mode === "change") {
      try {
        await this.asUser(
          entry.dn,
          currentPassword!,
          this.whenInTime(set, (client) =>
            client.modify(entry.dn, [
              new Change({ operation: "delete", modification: new Attribute({ type: "unicodePwd", values: [unicodePwd(currentPassword!)] }) }),
              new Change({ operation: "add", modification: new Attribute({ type: "unicodePwd", values: [unicodePwd(password)] }) }),
            ]),
          ),
        );
        return OK;
      } catch (error) {
        if (error instanceof WriteWindowClosed) return TOO_SLOW;
        if (resultCode(error) !== LDAP_INVALID_CREDENTIALS) return adPasswordRefusal(error);
        const bindFailure = adBindFailure(error);
        if (bindFailure.reason === "invalid_credentials") return failure("wrong_current", "the current password is wrong");
        // 773 and 532 come only with the right password, and AD allows no bind to change it then:
        // the service account sets it, with the policy hints so history still applies.
        if (bindFailure.reason !== "must_change" && bindFailure.reason !== "expired") return bindFailure;
      }
    }
    try {
      await this.adminSetAdPassword(set);
    } catch (error) {
      return error instanceof WriteWindowClosed ? TOO_SLOW : adPasswordRefusal(error);
    }
    if (mode === "admin" && set.mustChange) {
      await this.flagMustChange(set, new Change({ operation: "replace", modification: new Attribute({ type: "pwdLastSet", values: ["0"] }) }), "pwdLastSet 0");
    }
    return OK;
  }

  /** Clears a lock set after failed binds; an administrator's lock (or AD's disabled flag) is left alone. */
  async unlock(user: UserRef): Promise<JobResult> {
    const entry = await this.find(user);
    if (!entry) return NOT_FOUND;
    try {
      if (this.ldap.kind === "ad") {
        if ((Number(first(entry, "userAccountControl") ?? "0") & UAC_ACCOUNTDISABLE) !== 0) return failure("disabled", "the account is disabled in the directory; it is not unlocked");
        if (Number(first(entry, "lockoutTime") ?? "0") === 0) return OK;
        await this.service.write((client) => client.modify(entry.dn, new Change({ operation: "replace", modification: new Attribute({ type: "lockoutTime", values: ["0"] }) })));
        return OK;
      }
      const lockedTime = first(entry, "pwdAccountLockedTime");
      if (lockedTime === PPOLICY_ADMIN_LOCK) return failure("disabled", "the account is locked by an administrator in the directory; it is not unlocked");
      if (lockedTime === undefined) return OK;
      // ppolicy drops pwdFailureTime with the lock, so the next wrong password does not lock again at once.
      await this.service.write((client) => client.modify(entry.dn, new Change({ operation: "delete", modification: new Attribute({ type: "pwdAccountLockedTime", values: [] }) })));
      return OK;
    } catch (error) {
      return failure("error", `unlock failed: ${serverText(error)}`);
    }
  }
}
