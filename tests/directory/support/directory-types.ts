import type { Client } from "ldapts";
import type { Attributes, BindOutcome } from "./ldap.js";

/** Shapes both harnesses (OpenLDAP and Samba AD) return, so a test can run against either. */

export interface DirectoryUser {
  /** uid (OpenLDAP) or sAMAccountName (AD). */
  username: string;
  dn: string;
  mail: string;
  displayName: string;
  mobile: string | null;
  password: string;
  /** cn of every group the user is a member of. */
  groups: string[];
}

export interface NewDirectoryUser {
  username: string;
  password: string;
  mail?: string;
  displayName?: string;
  mobile?: string;
  groups?: string[];
}

export interface DirectoryGroup {
  cn: string;
  dn: string;
  /** DNs of its members. */
  members: string[];
}

/** The `ldap` block of the agent's config file, as docs/spec/directory.md defines it. */
export interface AgentLdapSettings {
  kind: "openldap" | "ad";
  url: string;
  tlsCaFile: string;
  tlsInsecure: boolean;
  bindDn: string;
  bindPassword: string;
  usersBase: string;
  usersFilter: string;
  usernameAttribute: string;
  displayNameAttribute: string;
  emailAttribute: string;
  alternateEmailAttribute: string | null;
  mobileAttribute: string | null;
  groupsBase: string;
  roleGroups: { global_admin: string[]; password_admin: string[] };
}

/** What both harnesses offer; SlapdServer and SambaDc add what is particular to each. */
export interface DirectoryHarness {
  kind: "openldap" | "ad";
  /** ldaps://…, with a certificate signed by `caFile`. */
  ldapsUrl: string;
  caFile: string;
  baseDn: string;
  usersBase: string;
  groupsBase: string;
  /** The agent's account: may set passwords and clear locks under the policy, not bypass it. */
  serviceDn: string;
  servicePassword: string;
  /** Unrestricted account (rootdn, Administrator) for test setup only, never for the agent. */
  adminDn: string;
  adminPassword: string;
  /** cn of the groups agentSettings() maps to roles. */
  roleGroups: { global_admin: string; password_admin: string };
  /** The named users (alice, bob, carol, dave unless told otherwise), kept current by the helpers below. */
  users: DirectoryUser[];
  groups: DirectoryGroup[];
  /** The server's process (and process group) id. */
  pid: number;
  /** Its folder; removed by stop(). */
  dir: string;

  /** The `ldap` block for the agent's config (LDAPS verified with caFile, service account), with overrides. */
  agentSettings(overrides?: Partial<AgentLdapSettings>): AgentLdapSettings;
  user(username: string): DirectoryUser;
  userDn(username: string): string;
  /** A simple bind over LDAPS; a refusal carries the LDAP code (49) and message (AD's "data 775"…). */
  tryBind(dn: string, password: string): Promise<BindOutcome>;
  canBind(dn: string, password: string): Promise<boolean>;
  /** One entry's attributes, each an array of strings, read as the admin; null when it does not exist. */
  readEntry(dn: string, attributes?: string[]): Promise<Attributes | null>;
  /** Runs `work` with an ldapts client bound as the admin (unbound afterwards). */
  asAdmin<T>(work: (client: Client) => Promise<T>): Promise<T>;
  /** Runs `work` with a client bound as the service account: what the agent can and cannot do. */
  asService<T>(work: (client: Client) => Promise<T>): Promise<T>;
  /** Creates an enabled user with that password, in usersBase, and adds it to its groups. */
  addUser(user: NewDirectoryUser): Promise<DirectoryUser>;
  /** Adds to a group (created when missing). */
  addToGroup(groupCn: string, username: string): Promise<void>;
  removeFromGroup(groupCn: string, username: string): Promise<void>;
  /** Sets a password as the admin (OpenLDAP: bypassing ppolicy; AD: an admin reset, length and complexity still apply). */
  setPassword(dn: string, password: string): Promise<void>;
  /** Fails as many binds as the lockout threshold, so the directory locks the account. */
  lockByFailedBinds(dn: string): Promise<void>;
  /** OpenLDAP: the admin lock 000001010000Z; AD: userAccountControl bit 0x2. */
  disableUser(dn: string): Promise<void>;
  removeUser(dn: string): Promise<void>;
  /** Kills the server, waits for it, removes its folder. Safe to call twice. */
  stop(): Promise<void>;
}
