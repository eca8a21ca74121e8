import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { Attribute, Change, type Client } from "ldapts";
import { makeServerCertificate } from "./certificates.js";
import type { DirectoryGroup, DirectoryHarness, DirectoryUser, NewDirectoryUser } from "./directory-types.js";
import { type Endpoint, readEntry, tryBind, withBoundClient } from "./ldap.js";
import { type LdifRecord, sshaHash, toLdif } from "./ldif.js";
import { freePort } from "../../../scripts/ports.js";
import { type Daemon, makeTempDir, removeTempDir, run, startDaemon, waitUntilReady } from "./processes.js";

/**
 * A fresh OpenLDAP (Debian's slapd 2.5) for one test file: its own folder, free ports, its own CA.
 * The agent binds as a service account that has `write` (not `manage`) on the password attributes,
 * so the ppolicy overlay applies the directory's rules to it as it would in production.
 */

export interface SlapdPolicy {
  minLength: number;
  /** pwdCheckQuality: 2 refuses what it cannot check (e.g. an already hashed value). */
  checkQuality: 0 | 1 | 2;
  inHistory: number;
  /** Failed binds before ppolicy locks the account. */
  maxFailure: number;
  /** Seconds a lock lasts; 0 = until an administrator unlocks. */
  lockoutDuration: number;
  /** pwdMaxAge in seconds; 0 = passwords never expire. */
  maxAge: number;
  /** pwdMinAge in seconds. */
  minAge: number;
  /** pwdMustChange: a password set by another identity must be changed at next sign-in. */
  mustChange: boolean;
}

export interface SlapdOptions {
  /** Replaces the default users (alice, bob, carol, dave). */
  users?: NewDirectoryUser[];
  /** Extra groups (cn → member usernames), besides staff and the two role groups. */
  groups?: Record<string, string[]>;
  /** This many more users, uid bulk00001…, loaded with slapadd before the start (10,000 take about a second). */
  bulkUsers?: number;
  /** Keep slapd's default search size limit (500) for the service account, as a stock install has it. */
  defaultSizeLimit?: boolean;
  policy?: Partial<SlapdPolicy>;
}

export interface SlapdServer extends DirectoryHarness {
  kind: "openldap";
  /** ldap://127.0.0.1:PORT (no TLS). */
  url: string;
  servicesBase: string;
  policy: SlapdPolicy;
  /** The users `bulkUsers` asked for (uid bulk00001…, all with the password "Bulk#Pass1", group "bulk"). */
  bulkUsers: DirectoryUser[];
  /** The administrative lock (pwdAccountLockedTime 000001010000Z); disableUser does the same. */
  adminLock(dn: string): Promise<void>;
}

export const SLAPD_ADMIN_LOCK = "000001010000Z";

const BASE_DN = "dc=example,dc=test";
export const SLAPD_DEFAULT_POLICY: SlapdPolicy = { minLength: 8, checkQuality: 2, inHistory: 5, maxFailure: 5, lockoutDuration: 0, maxAge: 0, minAge: 0, mustChange: false };
const ROLE_GROUPS = { global_admin: "sspr-global-admins", password_admin: "sspr-password-admins" };
const DEFAULT_USERS: NewDirectoryUser[] = [
  { username: "alice", password: "Alice#Pass1", displayName: "Alice Anders", mobile: "+41795550101", groups: ["staff", ROLE_GROUPS.global_admin] },
  { username: "bob", password: "Bob#Pass12", displayName: "Bob Brown", mobile: "+41795550102", groups: ["staff", ROLE_GROUPS.password_admin] },
  { username: "carol", password: "Carol#Pass1", displayName: "Carol Clark", groups: ["staff"] },
  { username: "dave", password: "Dave#Pass12", displayName: "Dave Davis", mobile: "+41795550104" },
];
const BULK_PASSWORD = "Bulk#Pass1";

export async function startSlapd(options: SlapdOptions = {}): Promise<SlapdServer> {
  const dir = makeTempDir("opensspr-slapd-");
  let daemon: Daemon | undefined;
  try {
    const layout = buildLayout(options);
    const certificate = await makeServerCertificate(dir, "localhost", ["DNS:localhost", "IP:127.0.0.1"]);
    const confFile = join(dir, "slapd.conf");
    mkdirSync(join(dir, "db"));
    writeFileSync(confFile, slapdConf(dir, certificate, layout, options.defaultSizeLimit ?? false));
    writeFileSync(join(dir, "base.ldif"), toLdif(layout.records));
    await run("slapadd", ["-q", "-f", confFile, "-l", join(dir, "base.ldif")]);

    // A port picked free can be taken before slapd binds it: then slapd exits at once and we retry.
    let ports: { ldap: number; ldaps: number } | undefined;
    for (let attempt = 1; ; attempt++) {
      ports = { ldap: await freePort(), ldaps: await freePort() };
      daemon = startDaemon("slapd", ["-d", "0", "-f", confFile, "-h", `ldap://127.0.0.1:${ports.ldap}/ ldaps://127.0.0.1:${ports.ldaps}/`]);
      const ldap: Endpoint = { url: `ldap://127.0.0.1:${ports.ldap}`, caFile: certificate.caFile };
      try {
        await waitUntilReady(daemon, async () => (await tryBind(ldap, layout.adminDn, layout.adminPassword)).ok, "slapd");
        break;
      } catch (error) {
        await daemon.stop();
        if (attempt >= 3) throw error;
      }
    }
    return makeServer(dir, daemon, ports, certificate.caFile, layout);
  } catch (error) {
    await daemon?.stop();
    removeTempDir(dir);
    throw error;
  }
}

interface Layout {
  adminDn: string;
  adminPassword: string;
  serviceDn: string;
  servicePassword: string;
  policy: SlapdPolicy;
  users: DirectoryUser[];
  bulkUsers: DirectoryUser[];
  groups: DirectoryGroup[];
  records: LdifRecord[];
}

const usersBase = `ou=people,${BASE_DN}`;
const groupsBase = `ou=groups,${BASE_DN}`;
const servicesBase = `ou=services,${BASE_DN}`;
const policiesBase = `ou=policies,${BASE_DN}`;
const userDn = (username: string) => `uid=${username},${usersBase}`;
const groupDn = (cn: string) => `cn=${cn},${groupsBase}`;

function describeUser(user: NewDirectoryUser): DirectoryUser {
  return {
    username: user.username,
    dn: userDn(user.username),
    mail: user.mail ?? `${user.username}@example.test`,
    displayName: user.displayName ?? user.username,
    mobile: user.mobile ?? null,
    password: user.password,
    groups: [...(user.groups ?? [])],
  };
}

function userRecord(user: DirectoryUser, passwordHash: string): LdifRecord {
  const [givenName, ...rest] = user.displayName.split(" ");
  return {
    dn: user.dn,
    objectClass: ["inetOrgPerson"],
    uid: user.username,
    cn: user.displayName,
    sn: rest.join(" ") || user.displayName,
    givenName,
    displayName: user.displayName,
    mail: user.mail,
    mobile: user.mobile ?? undefined,
    userPassword: passwordHash,
  };
}

/**
 * Everything is loaded offline with slapadd, memberOf included: the memberof overlay only maintains
 * it for online changes, and slapadd is what makes 10,000 users take a second instead of minutes.
 */
function buildLayout(options: SlapdOptions): Layout {
  const policy = { ...SLAPD_DEFAULT_POLICY, ...options.policy };
  const users = (options.users ?? DEFAULT_USERS).map(describeUser);
  const bulkUsers = Array.from({ length: options.bulkUsers ?? 0 }, (_, i) => {
    const n = String(i + 1).padStart(5, "0");
    return describeUser({ username: `bulk${n}`, password: BULK_PASSWORD, displayName: `Bulk User ${n}`, groups: ["bulk"] });
  });
  const groupMembers = new Map<string, string[]>([["staff", []], [ROLE_GROUPS.global_admin, []], [ROLE_GROUPS.password_admin, []]]);
  if (bulkUsers.length > 0) groupMembers.set("bulk", []);
  for (const [cn, usernames] of Object.entries(options.groups ?? {})) {
    groupMembers.set(cn, []);
    for (const username of usernames) {
      const user = users.find((u) => u.username === username);
      if (!user) throw new Error(`group ${cn}: no user ${username}`);
      if (!user.groups.includes(cn)) user.groups.push(cn);
    }
  }
  for (const user of [...users, ...bulkUsers]) {
    for (const cn of user.groups) {
      if (!groupMembers.has(cn)) groupMembers.set(cn, []);
      groupMembers.get(cn)!.push(user.dn);
    }
  }
  // groupOfNames must have a member: a group nobody is in is not created (addToGroup creates it later).
  const groups = [...groupMembers].filter(([, members]) => members.length > 0).map(([cn, members]) => ({ cn, dn: groupDn(cn), members }));

  const adminPassword = "Admin#Pass1";
  const servicePassword = "Service#Pass1";
  const serviceDn = `cn=opensspr,${servicesBase}`;
  const bulkHash = sshaHash(BULK_PASSWORD);
  const records: LdifRecord[] = [
    { dn: BASE_DN, objectClass: ["dcObject", "organization"], dc: "example", o: "Example" },
    ...[usersBase, groupsBase, servicesBase, policiesBase].map((dn) => ({ dn, objectClass: "organizationalUnit", ou: dn.slice(3, dn.indexOf(",")) })),
    { dn: serviceDn, objectClass: ["applicationProcess", "simpleSecurityObject"], cn: "opensspr", userPassword: sshaHash(servicePassword) },
    {
      dn: `cn=default,${policiesBase}`,
      objectClass: ["device", "pwdPolicy"],
      cn: "default",
      pwdAttribute: "userPassword",
      pwdMinLength: String(policy.minLength),
      pwdCheckQuality: String(policy.checkQuality),
      pwdInHistory: String(policy.inHistory),
      pwdLockout: "TRUE",
      pwdMaxFailure: String(policy.maxFailure),
      pwdLockoutDuration: String(policy.lockoutDuration),
      pwdFailureCountInterval: "0",
      pwdMaxAge: String(policy.maxAge),
      pwdMinAge: String(policy.minAge),
      pwdMustChange: policy.mustChange ? "TRUE" : "FALSE",
      pwdAllowUserChange: "TRUE",
      pwdSafeModify: "FALSE",
    },
    ...users.map((user) => ({ ...userRecord(user, sshaHash(user.password)), memberOf: user.groups.map(groupDn) })),
    ...bulkUsers.map((user) => ({ ...userRecord(user, bulkHash), memberOf: user.groups.map(groupDn) })),
    ...groups.map((group) => ({ dn: group.dn, objectClass: "groupOfNames", cn: group.cn, member: group.members })),
  ];
  return { adminDn: `cn=admin,${BASE_DN}`, adminPassword, serviceDn, servicePassword, policy, users, bulkUsers, groups, records };
}

function slapdConf(dir: string, certificate: { caFile: string; certFile: string; keyFile: string }, layout: Layout, defaultSizeLimit: boolean): string {
  const service = `dn.exact="${layout.serviceDn}"`;
  return `include /etc/ldap/schema/core.schema
include /etc/ldap/schema/cosine.schema
include /etc/ldap/schema/inetorgperson.schema
include /etc/ldap/schema/nis.schema
modulepath /usr/lib/ldap
moduleload back_mdb
moduleload ppolicy
moduleload memberof
pidfile  ${dir}/slapd.pid
argsfile ${dir}/slapd.args
loglevel none
TLSCACertificateFile  ${certificate.caFile}
TLSCertificateFile    ${certificate.certFile}
TLSCertificateKeyFile ${certificate.keyFile}
password-hash {SSHA}

database mdb
maxsize 1073741824
suffix "${BASE_DN}"
rootdn "${layout.adminDn}"
rootpw ${sshaHash(layout.adminPassword)}
directory ${dir}/db
# slapd answers at most 500 entries per search by default, paged or not (size.prtotal follows the hard
# limit): a directory an agent syncs lifts the limit for its service account, as an admin would.
${defaultSizeLimit ? "" : `limits ${service} size=unlimited`}
index objectClass,uid,mail,cn eq
index member,memberOf eq
access to attrs=userPassword
  by ${service} =wx
  by self write
  by anonymous auth
  by * none
access to attrs=pwdAccountLockedTime,pwdReset
  by ${service} write
  by self read
  by * none
access to *
  by ${service} read
  by self read
  by users read
  by * none

overlay memberof
memberof-group-oc groupOfNames
memberof-member-ad member
memberof-memberof-ad memberOf
memberof-refint TRUE

overlay ppolicy
ppolicy_default "cn=default,${policiesBase}"
ppolicy_hash_cleartext
ppolicy_use_lockout
`;
}

function makeServer(dir: string, daemon: Daemon, ports: { ldap: number; ldaps: number }, caFile: string, layout: Layout): SlapdServer {
  const ldaps: Endpoint = { url: `ldaps://127.0.0.1:${ports.ldaps}`, caFile };
  const users = layout.users;
  const groups = layout.groups;
  let stopped = false;
  const asAdmin = <T>(work: (client: Client) => Promise<T>) => withBoundClient(ldaps, layout.adminDn, layout.adminPassword, work);
  const group = (cn: string) => {
    const found = groups.find((g) => g.cn === cn);
    if (!found) throw new Error(`no group ${cn}`);
    return found;
  };
  const user = (username: string) => {
    const found = users.find((u) => u.username === username) ?? layout.bulkUsers.find((u) => u.username === username);
    if (!found) throw new Error(`no user ${username}`);
    return found;
  };
  const replace = (dn: string, type: string, values: string[]) =>
    asAdmin((client) => client.modify(dn, new Change({ operation: "replace", modification: new Attribute({ type, values }) })));

  const server: SlapdServer = {
    kind: "openldap",
    url: `ldap://127.0.0.1:${ports.ldap}`,
    ldapsUrl: ldaps.url,
    caFile,
    baseDn: BASE_DN,
    usersBase,
    groupsBase,
    servicesBase,
    serviceDn: layout.serviceDn,
    servicePassword: layout.servicePassword,
    adminDn: layout.adminDn,
    adminPassword: layout.adminPassword,
    policy: layout.policy,
    roleGroups: { ...ROLE_GROUPS },
    users,
    bulkUsers: layout.bulkUsers,
    groups,
    pid: daemon.pid,
    dir,
    agentSettings: (overrides = {}) => ({
      kind: "openldap",
      url: ldaps.url,
      tlsCaFile: caFile,
      tlsInsecure: false,
      bindDn: layout.serviceDn,
      bindPassword: layout.servicePassword,
      usersBase,
      usersFilter: "(objectClass=inetOrgPerson)",
      usernameAttribute: "mail",
      displayNameAttribute: "cn",
      emailAttribute: "mail",
      alternateEmailAttribute: null,
      mobileAttribute: "mobile",
      groupsBase,
      roleGroups: { global_admin: [ROLE_GROUPS.global_admin], password_admin: [ROLE_GROUPS.password_admin] },
      // As the setup guide asks: the overlay's ppolicy_default cannot be read over LDAP.
      passwordPolicyDn: `cn=default,${policiesBase}`,
      ...overrides,
    }),
    user,
    userDn,
    tryBind: (dn, password) => tryBind(ldaps, dn, password),
    canBind: async (dn, password) => (await tryBind(ldaps, dn, password)).ok,
    readEntry: (dn, attributes) => asAdmin((client) => readEntry(client, dn, attributes)),
    asAdmin,
    asService: (work) => withBoundClient(ldaps, layout.serviceDn, layout.servicePassword, work),
    async addUser(newUser) {
      const created = describeUser(newUser);
      const { dn, ...attributes } = userRecord(created, sshaHash(created.password));
      await asAdmin((client) => client.add(dn, definedAttributes(attributes)));
      const wanted = created.groups;
      created.groups = [];
      users.push(created);
      for (const cn of wanted) await server.addToGroup(cn, created.username);
      return created;
    },
    async addToGroup(groupCn, username) {
      const member = user(username);
      let target = groups.find((g) => g.cn === groupCn);
      if (target) {
        await asAdmin((client) => client.modify(target!.dn, new Change({ operation: "add", modification: new Attribute({ type: "member", values: [member.dn] }) })));
        target.members.push(member.dn);
      } else {
        target = { cn: groupCn, dn: groupDn(groupCn), members: [member.dn] };
        await asAdmin((client) => client.add(target!.dn, { objectClass: "groupOfNames", cn: groupCn, member: member.dn }));
        groups.push(target);
      }
      member.groups.push(groupCn);
    },
    async removeFromGroup(groupCn, username) {
      const member = user(username);
      const target = group(groupCn);
      await asAdmin((client) => client.modify(target.dn, new Change({ operation: "delete", modification: new Attribute({ type: "member", values: [member.dn] }) })));
      target.members = target.members.filter((dn) => dn !== member.dn);
      member.groups = member.groups.filter((cn) => cn !== groupCn);
    },
    setPassword: (dn, password) => replace(dn, "userPassword", [password]),
    async lockByFailedBinds(dn) {
      for (let i = 0; i < layout.policy.maxFailure; i++) await tryBind(ldaps, dn, "not-the-password");
    },
    adminLock: (dn) => replace(dn, "pwdAccountLockedTime", [SLAPD_ADMIN_LOCK]),
    disableUser: (dn) => server.adminLock(dn),
    async removeUser(dn) {
      await asAdmin((client) => client.del(dn));
      const index = users.findIndex((u) => u.dn === dn);
      if (index >= 0) users.splice(index, 1);
      for (const g of groups) g.members = g.members.filter((m) => m !== dn);
    },
    async stop() {
      if (stopped) return;
      stopped = true;
      await daemon.stop();
      removeTempDir(dir);
    },
  };
  return server;
}

function definedAttributes(attributes: Omit<LdifRecord, "dn">): Record<string, string | string[]> {
  return Object.fromEntries(Object.entries(attributes).filter((entry): entry is [string, string | string[]] => entry[1] !== undefined));
}
