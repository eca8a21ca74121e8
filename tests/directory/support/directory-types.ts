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

/** The `ldap` block of the agent's config file, as /work/shared/spec/directory.md defines it. */
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
