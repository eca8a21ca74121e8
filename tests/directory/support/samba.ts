import { cpSync, existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { Attribute, Change, type Client } from "ldapts";
import { makeServerCertificate } from "./certificates.js";
import type { AgentLdapSettings, DirectoryGroup, DirectoryHarness, DirectoryUser, NewDirectoryUser } from "./directory-types.js";
import { type Endpoint, readEntry, tryBind, unicodePwd, withBoundClient } from "./ldap.js";
import { type Daemon, makeTempDir, removeTempDir, run, startDaemon, waitUntilReady } from "./processes.js";

/**
 * A Samba AD DC per test file. Provisioning takes 5-10 s, so it happens once per test run into a
 * template folder; each DC is a copy of it (under a second) on its own loopback address, since
 * Samba's LDAP ports (389/636/3268/3269) cannot be moved.
 */

export interface SambaPolicy {
  minLength: number;
  complexity: boolean;
  history: number;
  minAgeDays: number;
  maxAgeDays: number;
  /** Bad passwords before AD sets lockoutTime. */
  lockoutThreshold: number;
  /** Lockout duration and observation window. */
  lockoutMinutes: number;
}

export const SAMBA_POLICY: SambaPolicy = { minLength: 7, complexity: true, history: 24, minAgeDays: 0, maxAgeDays: 42, lockoutThreshold: 5, lockoutMinutes: 30 };

/** Members of the `crowd` group (all in OU=Crowd, outside usersBase): more than AD's 1,500 values per range. */
export const SAMBA_CROWD_SIZE = 1_600;

export interface SambaDcOptions {
  /** 127.0.0.30-127.0.0.39; by default the first one nothing listens on. */
  ip?: string;
}

export interface SambaDc extends DirectoryHarness {
  kind: "ad";
  ip: string;
  /** ldap://IP:389: binds work, password changes need LDAPS (strongAuthRequired). */
  ldapUrl: string;
  policy: SambaPolicy;
  /** The group with SAMBA_CROWD_SIZE members (plus alice), for ranged `member;range=…` reads. */
  crowdGroup: DirectoryGroup;
  crowdBase: string;
  /** Attributes of one entry read as Administrator (objectGUID and objectSid as base64), null when absent. */
  readEntry(dn: string, attributes?: string[]): Promise<Record<string, string[]> | null>;
  /** Clears userAccountControl's disabled bit. */
  enableUser(dn: string): Promise<void>;
  /** pwdLastSet = 0: the password must be changed (bind refused with "data 773"). */
  requirePasswordChange(dn: string): Promise<void>;
}

const SERVICE_PASSWORD = "Service#Pass1";
const ADMIN_PASSWORD = "Admin#Pass1";
const ROLE_GROUPS = { global_admin: "sspr-global-admins", password_admin: "sspr-password-admins" };
const TEMPLATE_USERS: (NewDirectoryUser & { givenName: string; sn: string })[] = [
  { username: "alice", password: "Alice#Pass1", displayName: "Alice Anders", givenName: "Alice", sn: "Anders", mobile: "+41795550101", groups: ["staff", ROLE_GROUPS.global_admin] },
  { username: "bob", password: "Bob#Pass12", displayName: "Bob Brown", givenName: "Bob", sn: "Brown", mobile: "+41795550102", groups: ["staff", ROLE_GROUPS.password_admin] },
  { username: "carol", password: "Carol#Pass1", displayName: "Carol Clark", givenName: "Carol", sn: "Clark", groups: ["staff"] },
  { username: "dave", password: "Dave#Pass12", displayName: "Dave Davis", givenName: "Dave", sn: "Davis", mobile: "+41795550104" },
];
const TEMPLATE_IPS = Array.from({ length: 10 }, (_, i) => `127.0.0.${30 + i}`);
const DEFAULT_READ = ["*", "msDS-UserPasswordExpiryTimeComputed", "msDS-User-Account-Control-Computed"];
const BINARY_ATTRIBUTES = ["objectGUID", "objectSid"];
const UAC_DISABLED = 0x2;

interface TemplateLayout {
  baseDn: string;
  serviceDn: string;
  users: Record<string, string>;
  groups: Record<string, string>;
}

/** Set by the directory tests' global setup (one folder per test run); else a folder for this process. */
let processTemplateRoot: string | undefined;

function templateRoot(): string {
  const fromRun = process.env.OPENSSPR_DIRECTORY_RUN_DIR;
  if (fromRun) return fromRun;
  processTemplateRoot ??= makeTempDir("opensspr-samba-run-");
  return processTemplateRoot;
}

/** The provisioned template, built on first use in this test run. */
export async function sambaTemplate(): Promise<string> {
  const template = join(templateRoot(), "samba-template");
  if (existsSync(join(template, "layout.json"))) return template;
  const building = `${template}.${process.pid}`;
  rmSync(building, { recursive: true, force: true });
  try {
    await provision(building);
    renameSync(building, template);
  } catch (error) {
    rmSync(building, { recursive: true, force: true });
    if (existsSync(join(template, "layout.json"))) return template; // another worker won the race
    throw error;
  }
  return template;
}

async function provision(dir: string): Promise<void> {
  mkdirSync(join(dir, "run"), { recursive: true });
  mkdirSync(join(dir, "log"));
  writeFileSync(join(dir, "empty.conf"), ""); // else provision copies /etc/samba/smb.conf
  const ip = TEMPLATE_IPS[0]!;
  const options = {
    interfaces: `${ip}/8`, // the /8: 127.0.0.30 is no address of lo, only inside its network
    "bind interfaces only": "yes",
    "server services": "ldap",
    "prefork children": "2", // 4 by default: two LDAP workers are plenty for tests on a small machine
    "pid directory": join(dir, "run"),
    "ncalrpc dir": join(dir, "run/ncalrpc"),
    "winbindd socket directory": join(dir, "run/winbindd"),
    "ntp signd socket directory": join(dir, "run/ntp_signd"),
    "log file": join(dir, "log/samba.log"),
    logging: "file",
    "log level": "1",
  };
  await run("samba-tool", [
    "domain", "provision", "-s", join(dir, "empty.conf"), `--targetdir=${dir}`, "--realm=EXAMPLE.TEST", "--domain=EXAMPLE",
    "--server-role=dc", "--dns-backend=NONE", "--host-name=dc1", `--host-ip=${ip}`, `--adminpass=${ADMIN_PASSWORD}`, "--use-rfc2307",
    ...Object.entries(options).map(([name, value]) => `--option=${name}=${value}`),
  ]);
  const smbConf = join(dir, "etc/smb.conf");
  // Provision does not write it: without it the previous password still binds for an hour.
  writeFileSync(smbConf, readFileSync(smbConf, "utf8").replace("[global]\n", "[global]\n\told password allowed period = 0\n"));

  const input = {
    smbConf,
    samUrl: join(dir, "private/sam.ldb"),
    servicePassword: SERVICE_PASSWORD,
    policy: SAMBA_POLICY,
    crowdSize: SAMBA_CROWD_SIZE,
    users: TEMPLATE_USERS.map((user) => ({ ...user, mail: `${user.username}@example.test` })),
    groups: [
      ...groupsOf(TEMPLATE_USERS).map(([cn, members]) => ({ cn, members })),
      { cn: "crowd", members: ["alice"], crowd: true },
    ],
  };
  const setupScript = join(dirname(fileURLToPath(import.meta.url)), "samba-setup.py");
  // Debian's samba Python modules belong to the system interpreter, not to whatever python3 is first on PATH.
  const layout = await run("/usr/bin/python3", [setupScript], { input: JSON.stringify(input) });
  writeFileSync(join(dir, "layout.json"), layout);

  // One certificate for every address a DC may take, so a copy needs no new one.
  const tls = join(dir, "private/tls");
  mkdirSync(tls, { recursive: true });
  const certificate = await makeServerCertificate(tls, "dc1.example.test", ["DNS:dc1.example.test", "DNS:localhost", ...TEMPLATE_IPS.map((a) => `IP:${a}`)]);
  renameSync(certificate.keyFile, join(tls, "key.pem"));
  renameSync(certificate.certFile, join(tls, "cert.pem"));
  rmSync(join(tls, "ca-key.pem"));
}

function groupsOf(users: NewDirectoryUser[]): [string, string[]][] {
  const groups = new Map<string, string[]>([["staff", []], [ROLE_GROUPS.global_admin, []], [ROLE_GROUPS.password_admin, []]]);
  for (const user of users) for (const cn of user.groups ?? []) groups.set(cn, [...(groups.get(cn) ?? []), user.username]);
  return [...groups];
}

async function addressFree(ip: string): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once("error", () => resolve(false));
    server.listen(636, ip, () => server.close(() => resolve(true)));
  });
}

const claimed = new Set<string>();

async function claimAddress(requested: string | undefined): Promise<string> {
  for (const ip of requested ? [requested] : TEMPLATE_IPS) {
    if (!TEMPLATE_IPS.includes(ip)) throw new Error(`Samba DC address must be one of ${TEMPLATE_IPS.join(", ")}`);
    if (claimed.has(ip) || !(await addressFree(ip))) continue;
    claimed.add(ip);
    return ip;
  }
  throw new Error(requested ? `${requested}:636 is taken` : "no free address in 127.0.0.30-39 for a Samba DC");
}

export async function startSambaDc(options: SambaDcOptions = {}): Promise<SambaDc> {
  const template = await sambaTemplate();
  const ip = await claimAddress(options.ip);
  const dir = makeTempDir("opensspr-samba-");
  let daemon: Daemon | undefined;
  try {
    cpSync(template, dir, { recursive: true });
    const smbConf = join(dir, "etc/smb.conf");
    const templateDir = /^\s*private dir = (.*)\/private$/m.exec(readFileSync(smbConf, "utf8"))?.[1];
    if (!templateDir) throw new Error("template smb.conf has no private dir");
    writeFileSync(
      smbConf,
      readFileSync(smbConf, "utf8").replaceAll(templateDir, dir).replace(/^(\s*interfaces = ).*$/m, `$1${ip}/8`),
    );
    rmSync(join(dir, "run"), { recursive: true, force: true });
    mkdirSync(join(dir, "run"));
    const layout = JSON.parse(readFileSync(join(dir, "layout.json"), "utf8")) as TemplateLayout;
    const caFile = join(dir, "private/tls/ca.pem");
    const ldaps: Endpoint = { url: `ldaps://${ip}:636`, caFile };

    daemon = startDaemon("samba", ["-F", "-s", smbConf]);
    const adminDn = `CN=Administrator,CN=Users,${layout.baseDn}`;
    const ready = async () => {
      const outcome = await tryBind(ldaps, adminDn, ADMIN_PASSWORD);
      return outcome.ok;
    };
    try {
      await waitUntilReady(daemon, ready, `samba on ${ip}`, 30_000);
    } catch (error) {
      const log = join(dir, "log/samba.log");
      const tail = existsSync(log) ? readFileSync(log, "utf8").slice(-4_000) : "";
      throw new Error(`${(error as Error).message}\n${tail}`);
    }
    return makeDc(ip, dir, daemon, layout, caFile, adminDn);
  } catch (error) {
    await daemon?.stop();
    removeTempDir(dir);
    claimed.delete(ip);
    throw error;
  }
}

function makeDc(ip: string, dir: string, daemon: Daemon, layout: TemplateLayout, caFile: string, adminDn: string): SambaDc {
  const baseDn = layout.baseDn;
  const usersBase = `OU=People,${baseDn}`;
  const groupsBase = `OU=Groups,${baseDn}`;
  const ldaps: Endpoint = { url: `ldaps://${ip}:636`, caFile };
  const users: DirectoryUser[] = TEMPLATE_USERS.map((user) => ({
    username: user.username,
    dn: layout.users[user.username]!,
    mail: `${user.username}@example.test`,
    displayName: user.displayName!,
    mobile: user.mobile ?? null,
    password: user.password,
    groups: [...(user.groups ?? [])],
  }));
  const groups: DirectoryGroup[] = groupsOf(TEMPLATE_USERS).map(([cn, members]) => ({
    cn,
    dn: layout.groups[cn]!,
    members: members.map((username) => layout.users[username]!),
  }));
  const crowdBase = `OU=Crowd,${baseDn}`;
  const crowdGroup: DirectoryGroup = {
    cn: "crowd",
    dn: layout.groups.crowd!,
    members: [
      layout.users.alice!,
      ...Array.from({ length: SAMBA_CROWD_SIZE }, (_, i) => `CN=Crowd ${String(i + 1).padStart(5, "0")},${crowdBase}`),
    ],
  };
  users.find((u) => u.username === "alice")!.groups.push("crowd");
  let stopped = false;

  const asAdmin = <T>(work: (client: Client) => Promise<T>) => withBoundClient(ldaps, adminDn, ADMIN_PASSWORD, work);
  const modify = (dn: string, operation: "add" | "delete" | "replace", type: string, values: string[] | Buffer[]) =>
    asAdmin((client) => client.modify(dn, new Change({ operation, modification: new Attribute({ type, values }) })));
  const user = (username: string) => {
    const found = users.find((u) => u.username === username);
    if (!found) throw new Error(`no user ${username}`);
    return found;
  };
  const group = (cn: string) => {
    const found = groups.find((g) => g.cn === cn) ?? (cn === "crowd" ? crowdGroup : undefined);
    if (!found) throw new Error(`no group ${cn}`);
    return found;
  };
  const userAccountControl = async (dn: string) =>
    Number((await asAdmin((client) => readEntry(client, dn, ["userAccountControl"])))?.userAccountControl?.[0] ?? 0);

  const dc: SambaDc = {
    kind: "ad",
    ip,
    ldapUrl: `ldap://${ip}:389`,
    ldapsUrl: ldaps.url,
    caFile,
    baseDn,
    usersBase,
    groupsBase,
    crowdBase,
    serviceDn: layout.serviceDn,
    servicePassword: SERVICE_PASSWORD,
    adminDn,
    adminPassword: ADMIN_PASSWORD,
    policy: SAMBA_POLICY,
    roleGroups: { ...ROLE_GROUPS },
    users,
    groups,
    crowdGroup,
    pid: daemon.pid,
    dir,
    agentSettings: (overrides: Partial<AgentLdapSettings> = {}) => ({
      kind: "ad",
      url: ldaps.url,
      tlsCaFile: caFile,
      tlsInsecure: false,
      bindDn: layout.serviceDn,
      bindPassword: SERVICE_PASSWORD,
      usersBase,
      usersFilter: "(&(objectCategory=person)(objectClass=user))",
      usernameAttribute: "mail",
      displayNameAttribute: "displayName",
      emailAttribute: "mail",
      alternateEmailAttribute: null,
      mobileAttribute: "mobile",
      groupsBase,
      roleGroups: { global_admin: [ROLE_GROUPS.global_admin], password_admin: [ROLE_GROUPS.password_admin] },
      ...overrides,
    }),
    user,
    userDn: (username) => user(username).dn,
    tryBind: (dn, password) => tryBind(ldaps, dn, password),
    canBind: async (dn, password) => (await tryBind(ldaps, dn, password)).ok,
    readEntry: (dn, attributes = DEFAULT_READ) => asAdmin((client) => readEntry(client, dn, attributes, BINARY_ATTRIBUTES)),
    asAdmin,
    asService: (work) => withBoundClient(ldaps, layout.serviceDn, SERVICE_PASSWORD, work),
    async addUser(newUser) {
      const created: DirectoryUser = {
        username: newUser.username,
        dn: `CN=${newUser.displayName ?? newUser.username},${usersBase}`,
        mail: newUser.mail ?? `${newUser.username}@example.test`,
        displayName: newUser.displayName ?? newUser.username,
        mobile: newUser.mobile ?? null,
        password: newUser.password,
        groups: [],
      };
      await asAdmin((client) =>
        client.add(created.dn, [
          new Attribute({ type: "objectClass", values: ["user"] }),
          new Attribute({ type: "sAMAccountName", values: [created.username] }),
          new Attribute({ type: "userPrincipalName", values: [`${created.username}@example.test`] }),
          new Attribute({ type: "displayName", values: [created.displayName] }),
          new Attribute({ type: "mail", values: [created.mail] }),
          ...(created.mobile ? [new Attribute({ type: "mobile", values: [created.mobile] })] : []),
          new Attribute({ type: "unicodePwd", values: [unicodePwd(created.password)] }),
          new Attribute({ type: "userAccountControl", values: ["512"] }),
        ]),
      );
      users.push(created);
      for (const cn of newUser.groups ?? []) await dc.addToGroup(cn, created.username);
      return created;
    },
    async addToGroup(groupCn, username) {
      const member = user(username);
      let target = groups.find((g) => g.cn === groupCn) ?? (groupCn === "crowd" ? crowdGroup : undefined);
      if (target) {
        await modify(target.dn, "add", "member", [member.dn]);
        target.members.push(member.dn);
      } else {
        target = { cn: groupCn, dn: `CN=${groupCn},${groupsBase}`, members: [member.dn] };
        const dn = target.dn;
        await asAdmin((client) => client.add(dn, { objectClass: "group", sAMAccountName: groupCn, member: member.dn }));
        groups.push(target);
      }
      member.groups.push(groupCn);
    },
    async removeFromGroup(groupCn, username) {
      const member = user(username);
      const target = group(groupCn);
      await modify(target.dn, "delete", "member", [member.dn]);
      target.members = target.members.filter((dn) => dn !== member.dn);
      member.groups = member.groups.filter((cn) => cn !== groupCn);
    },
    setPassword: (dn, password) => modify(dn, "replace", "unicodePwd", [unicodePwd(password)]),
    async lockByFailedBinds(dn) {
      for (let i = 0; i < SAMBA_POLICY.lockoutThreshold; i++) await tryBind(ldaps, dn, "Not#ThePassword1");
    },
    async disableUser(dn) {
      await modify(dn, "replace", "userAccountControl", [String((await userAccountControl(dn)) | UAC_DISABLED)]);
    },
    async enableUser(dn) {
      await modify(dn, "replace", "userAccountControl", [String((await userAccountControl(dn)) & ~UAC_DISABLED)]);
    },
    requirePasswordChange: (dn) => modify(dn, "replace", "pwdLastSet", ["0"]),
    async removeUser(dn) {
      await asAdmin((client) => client.del(dn));
      const index = users.findIndex((u) => u.dn === dn);
      if (index >= 0) users.splice(index, 1);
      for (const g of [...groups, crowdGroup]) g.members = g.members.filter((m) => m !== dn);
    },
    async stop() {
      if (stopped) return;
      stopped = true;
      // Nothing in a test DC is worth Samba's 2 s orderly shutdown.
      await daemon.stop(200);
      removeTempDir(dir);
      claimed.delete(ip);
    },
  };
  return dc;
}
