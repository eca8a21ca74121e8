import { Attribute, Change } from "ldapts";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import type { UserRef } from "../../shared/directory/protocol.js";
import { type LdapConfig, parseAgentConfig } from "../../agent/src/config.js";
import { ServiceConnection, tlsOptionsFor } from "../../agent/src/ldap/connection.js";
import { DirectoryOperations } from "../../agent/src/ldap/operations.js";
import { OpenLdapPolicies, POLICY_CACHE_MS } from "../../agent/src/ldap/policy.js";
import { guidToString } from "../../agent/src/ldap/entry.js";
import { readDirectory } from "../../agent/src/ldap/read-directory.js";
import { readGroups } from "../../agent/src/ldap/read-groups.js";
import { SAMBA_CROWD_SIZE, SAMBA_POLICY, type SambaDc, startSambaDc } from "./support/samba.js";
import { SLAPD_ADMIN_LOCK, type SlapdServer, startSlapd } from "./support/slapd.js";

/** The agent's LDAP side (sync read, binds, password sets, unlocks) against a real slapd with ppolicy. */
describe("agent against OpenLDAP", () => {
  let slapd: SlapdServer;
  let ldap: LdapConfig;
  let service: ServiceConnection;
  let operations: DirectoryOperations;
  const refs = new Map<string, UserRef>();

  const ref = async (username: string): Promise<UserRef> => {
    const dn = slapd.userDn(username);
    const entry = await slapd.readEntry(dn, ["entryUUID"]);
    return { externalId: entry!.entryUUID![0]!, dn };
  };

  beforeAll(async () => {
    slapd = await startSlapd({ users: [
      { username: "alice", password: "Alice#Pass1", displayName: "Alice Anders", mobile: "+41795550101", groups: ["staff", "sspr-global-admins"] },
      { username: "bob", password: "Bob#Pass12", displayName: "Bob Brown", groups: ["helpdesk", "sspr-password-admins"] },
      { username: "carol", password: "Carol#Pass1", displayName: "Carol Clark", groups: ["staff"] },
      { username: "dave", password: "Dave#Pass12", displayName: "Dave Davis" },
      { username: "erin", password: "Erin#Pass12", displayName: "Erin Evans" },
      { username: "frank", password: "Frank#Pass1", displayName: "Frank Fox" },
    ], policy: { maxFailure: 3 } });
    ldap = parseAgentConfig({ workerUrl: "http://127.0.0.1:1", stateDir: "/tmp/unused", ldap: slapd.agentSettings() }).ldap;
    service = new ServiceConnection(ldap, tlsOptionsFor(ldap));
    operations = new DirectoryOperations(ldap, tlsOptionsFor(ldap), service);
    for (const user of slapd.users) refs.set(user.username, await ref(user.username));
  });
  afterAll(async () => {
    await service?.close();
    await slapd?.stop();
  });

  test("sync reads every user with its mapped attributes, entryUUID, groups (nested ones included) and roles", async () => {
    await slapd.asAdmin((client) => client.add(`cn=it,${slapd.groupsBase}`, { objectClass: "groupOfNames", cn: "it", member: `cn=helpdesk,${slapd.groupsBase}` }));
    await slapd.adminLock(slapd.userDn("erin"));
    await slapd.asAdmin((client) => client.modify(slapd.userDn("frank"), new Change({ operation: "replace", modification: new Attribute({ type: "pwdReset", values: ["TRUE"] }) })));

    const read = await readDirectory(ldap, service);
    expect(read.errors).toEqual([]);
    // ppolicy's pwdMaxFailure (this server: 3), so the worker can warn when its own threshold is not lower.
    expect(read.lockoutThreshold).toBe(3);
    expect(read.groups).toEqual(expect.arrayContaining(["staff", "helpdesk", "it", "sspr-global-admins", "sspr-password-admins"]));
    const byName = new Map(read.users.map((user) => [user.username, user]));
    expect(byName.size).toBe(6);
    expect(byName.get("alice@example.test")).toEqual({
      externalId: refs.get("alice")!.externalId,
      dn: slapd.userDn("alice"),
      username: "alice@example.test",
      displayName: "Alice Anders",
      email: "alice@example.test",
      alternateEmail: null,
      mobile: "+41795550101",
      groups: ["sspr-global-admins", "staff"],
      roles: ["user", "global_admin"],
      disabled: false,
      passwordChangedAt: null,
      passwordExpiresAt: null,
      passwordNeverExpires: true,
      mustChangePassword: false,
    });
    expect(byName.get("bob@example.test")).toMatchObject({ groups: ["helpdesk", "it", "sspr-password-admins"], roles: ["user", "password_admin"], mobile: null });
    expect(byName.get("dave@example.test")).toMatchObject({ groups: [], roles: ["user"] });
    expect(byName.get("erin@example.test")).toMatchObject({ disabled: true });
    expect(byName.get("frank@example.test")).toMatchObject({ mustChangePassword: true, disabled: false });
  });

  test("an entry usersFilter no longer matches is not found: no bind, set or unlock through OpenSSPR before the next sync disables it", async () => {
    const scoped = { ...ldap, usersFilter: "(&(objectClass=inetOrgPerson)(!(uid=dave)))" };
    const narrow = new DirectoryOperations(scoped, tlsOptionsFor(scoped), service);
    expect(await narrow.bind(refs.get("dave")!, "Dave#Pass12")).toMatchObject({ ok: false, reason: "not_found" });
    expect(await narrow.setPassword(refs.get("dave")!, "reset", "Dave#Other123", undefined, false)).toMatchObject({ ok: false, reason: "not_found" });
    expect(await narrow.unlock(refs.get("dave")!)).toMatchObject({ ok: false, reason: "not_found" });
    expect(await narrow.bind(refs.get("alice")!, "Alice#Pass1")).toEqual({ ok: true });
    expect(await slapd.canBind(refs.get("dave")!.dn, "Dave#Pass12")).toBe(true);
  });

  test("a look-alike role group in another OU under groupsBase grants nothing: the cn is then ambiguous and reported; a DN names the real one", async () => {
    const teamOu = `ou=teamx,${slapd.groupsBase}`;
    const lookalike = `cn=sspr-global-admins,${teamOu}`;
    await slapd.asAdmin(async (client) => {
      await client.add(teamOu, { objectClass: "organizationalUnit", ou: "teamx" });
      await client.add(lookalike, { objectClass: "groupOfNames", cn: "sspr-global-admins", member: slapd.userDn("carol") });
    });
    try {
      const byCn = await readDirectory(ldap, service);
      const roles = new Map(byCn.users.map((user) => [user.username, user.roles]));
      expect(roles.get("carol@example.test")).toEqual(["user"]);
      expect(roles.get("alice@example.test")).toEqual(["user"]);
      expect(byCn.warnings).toEqual([expect.stringContaining(`"sspr-global-admins" is the cn of 2 groups`)]);
      expect(byCn.errors).toEqual([]);

      const realDn = `cn=sspr-global-admins,${slapd.groupsBase}`;
      const byDn = await readDirectory({ ...ldap, roleGroups: { ...ldap.roleGroups, global_admin: [realDn.toUpperCase()] } }, service);
      const dnRoles = new Map(byDn.users.map((user) => [user.username, user.roles]));
      expect(dnRoles.get("alice@example.test")).toEqual(["user", "global_admin"]);
      expect(dnRoles.get("carol@example.test")).toEqual(["user"]);
      expect(byDn.warnings).toEqual([]);
    } finally {
      await slapd.asAdmin(async (client) => {
        await client.del(lookalike);
        await client.del(teamOu);
      });
    }
  });

  test("a group whose cn is too long is left out with a warning, and the sync stays complete", async () => {
    const long = `cn=${"g".repeat(101)},${slapd.groupsBase}`;
    await slapd.asAdmin((client) => client.add(long, { objectClass: "groupOfNames", cn: "g".repeat(101), member: slapd.userDn("dave") }));
    try {
      const read = await readDirectory(ldap, service);
      expect(read.errors).toEqual([]);
      expect(read.warnings).toEqual([expect.stringContaining("longer than 100 characters")]);
      expect(read.users.find((user) => user.username === "dave@example.test")?.groups).toEqual([]);
    } finally {
      await slapd.asAdmin((client) => client.del(long));
    }
  });

  test("a user whose username is too long to store is a warning and counted as seen, not a read error", async () => {
    const dn = slapd.userDn("frank");
    const [mail] = (await slapd.readEntry(dn, ["mail"]))!.mail!;
    await slapd.asAdmin((client) => client.modify(dn, new Change({ operation: "replace", modification: new Attribute({ type: "mail", values: [`${"f".repeat(250)}@example.test`] }) })));
    try {
      const read = await readDirectory(ldap, service);
      expect(read.errors).toEqual([]);
      expect(read.seen).toEqual([refs.get("frank")!.externalId]);
      expect(read.warnings).toEqual([expect.stringContaining(`${dn}: username is not usable`)]);
      expect(read.users.map((user) => user.dn)).not.toContain(dn);
    } finally {
      await slapd.asAdmin((client) => client.modify(dn, new Change({ operation: "replace", modification: new Attribute({ type: "mail", values: [mail!] }) })));
    }
  });

  test("bind: right password, wrong password, unknown entry, admin lock, must change", async () => {
    expect(await operations.bind(refs.get("alice")!, "Alice#Pass1")).toEqual({ ok: true });
    expect(await operations.bind(refs.get("alice")!, "Wrong#Pass1")).toMatchObject({ ok: false, reason: "invalid_credentials" });
    expect(await operations.bind(refs.get("alice")!, "")).toMatchObject({ ok: false, reason: "invalid_credentials" });
    expect(await operations.bind({ externalId: "00000000-0000-0000-0000-000000000000", dn: slapd.userDn("alice") }, "Alice#Pass1")).toMatchObject({ ok: false, reason: "not_found" });
    expect(await operations.bind(refs.get("erin")!, "Erin#Pass12")).toMatchObject({ ok: false, reason: "disabled" });
    expect(await operations.bind(refs.get("frank")!, "Frank#Pass1")).toMatchObject({ ok: false, reason: "must_change" });
  });

  test("a reset sets the password through ppolicy: the new one binds, a short one and a reused one are refused in plain words", async () => {
    const carol = refs.get("carol")!;
    expect(await operations.setPassword(carol, "reset", "Carol#Fresh2", undefined, false)).toEqual({ ok: true });
    expect(await slapd.canBind(carol.dn, "Carol#Fresh2")).toBe(true);
    expect(await slapd.canBind(carol.dn, "Carol#Pass1")).toBe(false);

    const short = await operations.setPassword(carol, "reset", "Ab1#", undefined, false);
    expect(short).toMatchObject({ ok: false, reason: "policy" });
    expect(short.ok || short.message).toMatch(/^Your organisation's directory refused this password: it is too short or too simple/);
    const reused = await operations.setPassword(carol, "reset", "Carol#Pass1", undefined, false);
    expect(reused).toMatchObject({ ok: false, reason: "policy", message: expect.stringContaining("it was used recently") });
    expect(reused.ok || reused.message).not.toMatch(/\d{2}|ppolicy|LDAP|constraint/i);
    expect(await slapd.canBind(carol.dn, "Carol#Fresh2")).toBe(true);
  });

  test("a change checks the current password as the user; an admin set with mustChange sets pwdReset", async () => {
    const dave = refs.get("dave")!;
    expect(await operations.setPassword(dave, "change", "Dave#Next12", "Wrong#Pass1", false)).toMatchObject({ ok: false, reason: "wrong_current" });
    expect(await operations.setPassword(dave, "change", "Dave#Next12", "Dave#Pass12", false)).toEqual({ ok: true });
    expect(await slapd.canBind(dave.dn, "Dave#Next12")).toBe(true);
    expect(await operations.setPassword(dave, "change", "Dave#Pass12", "Dave#Next12", false)).toMatchObject({ ok: false, reason: "policy", message: expect.stringContaining("used recently") });

    expect(await operations.setPassword(dave, "admin", "Temp#Pass123", undefined, true)).toEqual({ ok: true });
    expect((await slapd.readEntry(dave.dn, ["pwdReset"]))?.pwdReset).toEqual(["TRUE"]);
    expect(await operations.bind(dave, "Temp#Pass123")).toMatchObject({ ok: false, reason: "must_change" });
  });

  test("a password write that cannot start within its window after the job arrived is refused, and nothing is changed", async () => {
    // The directory took 6 s to find the entry: a write begun now could land after the worker's 20 s answer.
    let first = true;
    const slow = new DirectoryOperations(ldap, tlsOptionsFor(ldap), service, () => (first ? ((first = false), 1e12) : 1e12 + 6_000));
    const bob = refs.get("bob")!;
    expect(await slow.setPassword(bob, "reset", "Bob#Other1234", undefined, false)).toMatchObject({ ok: false, reason: "error", message: expect.stringContaining("nothing was changed") });
    expect(await slapd.canBind(bob.dn, "Bob#Pass12")).toBe(true);
    expect(await slapd.canBind(bob.dn, "Bob#Other1234")).toBe(false);
  });

  test("a password write the worker cancelled before it went out is not sent, and nothing is changed", async () => {
    const bob = refs.get("bob")!;
    expect(await operations.setPassword(bob, "reset", "Bob#Other1234", undefined, false, () => false)).toMatchObject({ ok: false, reason: "error", message: expect.stringContaining("nothing was changed") });
    expect(await slapd.canBind(bob.dn, "Bob#Pass12")).toBe(true);
  });

  test("unlock clears a lock set by failed binds and leaves an administrator's lock", async () => {
    const alice = refs.get("alice")!;
    await slapd.lockByFailedBinds(alice.dn);
    expect((await slapd.readEntry(alice.dn, ["pwdAccountLockedTime"]))?.pwdAccountLockedTime).toHaveLength(1);
    expect(await operations.bind(alice, "Alice#Pass1")).toMatchObject({ ok: false, reason: "locked" });
    expect(await operations.unlock(alice)).toEqual({ ok: true });
    expect(await operations.bind(alice, "Alice#Pass1")).toEqual({ ok: true });
    // The failure count went with the lock: one wrong password does not lock again.
    expect(await operations.bind(alice, "Wrong#Pass1")).toMatchObject({ reason: "invalid_credentials" });
    expect(await operations.bind(alice, "Alice#Pass1")).toEqual({ ok: true });

    const erin = refs.get("erin")!;
    expect(await operations.unlock(erin)).toMatchObject({ ok: false, reason: "disabled" });
    expect((await slapd.readEntry(erin.dn, ["pwdAccountLockedTime"]))?.pwdAccountLockedTime).toEqual([SLAPD_ADMIN_LOCK]);
  });

  test("a changed ppolicy entry reaches the agent once its cached copy is POLICY_CACHE_MS old, without a restart", async () => {
    let now = 1_000_000;
    const policies = new OpenLdapPolicies(ldap, service, () => now);
    const policyDn = ldap.passwordPolicyDn!;
    const setLockoutDuration = (seconds: string) =>
      slapd.asAdmin((client) => client.modify(policyDn, new Change({ operation: "replace", modification: new Attribute({ type: "pwdLockoutDuration", values: [seconds] }) })));
    expect(await policies.forUser(undefined)).toEqual({ maxAgeMs: null, lockoutDurationMs: null });
    await setLockoutDuration("600");
    try {
      now += POLICY_CACHE_MS - 1;
      expect(await policies.forUser(undefined)).toEqual({ maxAgeMs: null, lockoutDurationMs: null });
      // The user's own pwdPolicySubentry names the same entry, in other letter case: one cached copy.
      expect(await policies.forUser(policyDn.toUpperCase())).toEqual({ maxAgeMs: null, lockoutDurationMs: null });
      now += 1;
      expect(await policies.forUser(undefined)).toEqual({ maxAgeMs: null, lockoutDurationMs: 600_000 });
    } finally {
      await setLockoutDuration("0");
    }
  });
});

/**
 * An expired password binds with 49 like a wrong one: only slapd's password policy control, which it
 * sets after the password checked out, may make the worker sign the user in to change it.
 */
describe("agent against OpenLDAP with a password maximum age", () => {
  let slapd: SlapdServer;
  let service: ServiceConnection;
  let operations: DirectoryOperations;

  beforeAll(async () => {
    // pwdMustChange on: a reset or a change through the service account must still leave no must-change mark (slapd sets none for the Password Modify operation).
    slapd = await startSlapd({ users: [{ username: "gina", password: "Gina#Pass12", displayName: "Gina Gray" }], policy: { maxAge: 4, mustChange: true } });
    const ldap = parseAgentConfig({ workerUrl: "http://127.0.0.1:1", stateDir: "/tmp/unused", ldap: slapd.agentSettings() }).ldap;
    service = new ServiceConnection(ldap, tlsOptionsFor(ldap));
    operations = new DirectoryOperations(ldap, tlsOptionsFor(ldap), service);
  });
  afterAll(async () => {
    await service?.close();
    await slapd?.stop();
  });

  test("an expired password is 'expired' only when it is the right one; a wrong one stays wrong, and the right one can change it", async () => {
    const dn = slapd.userDn("gina");
    const gina = { externalId: (await slapd.readEntry(dn, ["entryUUID"]))!.entryUUID![0]!, dn };
    // A set through ppolicy stamps pwdChangedTime (in whole seconds); over four seconds later the password has expired.
    expect(await operations.setPassword(gina, "reset", "Gina#Fresh12", undefined, false)).toEqual({ ok: true });
    expect(await operations.bind(gina, "Gina#Fresh12")).toEqual({ ok: true });
    await new Promise((resolve) => setTimeout(resolve, 5_500));
    expect(await slapd.canBind(dn, "Gina#Fresh12")).toBe(false);

    expect(await operations.bind(gina, "Any#Guess123")).toMatchObject({ ok: false, reason: "invalid_credentials" });
    expect(await operations.bind(gina, "Gina#Fresh12")).toMatchObject({ ok: false, reason: "expired" });
    expect(await operations.setPassword(gina, "change", "Gina#Next1234", "Any#Guess123", false)).toMatchObject({ ok: false, reason: "wrong_current" });
    expect(await operations.setPassword(gina, "change", "Gina#Fresh12", "Gina#Fresh12", false)).toMatchObject({ ok: false, reason: "policy" });
    expect(await operations.setPassword(gina, "change", "Gina#Next1234", "Gina#Fresh12", false)).toEqual({ ok: true });
    expect(await operations.bind(gina, "Gina#Next1234")).toEqual({ ok: true });
    // An admin's set that asks for a change keeps the mark.
    expect(await operations.setPassword(gina, "admin", "Gina#Temp12345", undefined, true)).toEqual({ ok: true });
    expect(await operations.bind(gina, "Gina#Temp12345")).toMatchObject({ ok: false, reason: "must_change" });
  });
});

/** The same against a real Samba AD DC: unicodePwd over LDAPS, AD's data codes, ranged member reads. */
describe("agent against Active Directory (Samba)", () => {
  let dc: SambaDc;
  let ldap: LdapConfig;
  let service: ServiceConnection;
  let operations: DirectoryOperations;
  const refs = new Map<string, UserRef>();
  const DAY = 86_400_000;

  beforeAll(async () => {
    dc = await startSambaDc();
    ldap = parseAgentConfig({ workerUrl: "http://127.0.0.1:1", stateDir: "/tmp/unused", ldap: dc.agentSettings() }).ldap;
    service = new ServiceConnection(ldap, tlsOptionsFor(ldap));
    operations = new DirectoryOperations(ldap, tlsOptionsFor(ldap), service);
    for (const user of dc.users) {
      const entry = await dc.readEntry(user.dn, ["objectGUID"]);
      refs.set(user.username, { externalId: guidToString(Buffer.from(entry!.objectGUID![0]!, "base64")), dn: user.dn });
    }
  });
  afterAll(async () => {
    await service?.close();
    await dc?.stop();
  });

  test("a group past AD's 1500 values per read comes back whole, range by range", async () => {
    const { groups } = await readGroups(ldap, service);
    const crowd = groups.find((group) => group.name === "crowd");
    expect(crowd?.members).toHaveLength(SAMBA_CROWD_SIZE + 1);
    expect(new Set(crowd?.members).size).toBe(SAMBA_CROWD_SIZE + 1);
  });

  test("a group whose last member left reads as empty (the read ends)", async () => {
    await dc.addToGroup("emptied", "carol");
    await dc.removeFromGroup("emptied", "carol");
    const read = await Promise.race([
      readGroups(ldap, service),
      new Promise<null>((resolve) => setTimeout(() => resolve(null), 10_000)),
    ]);
    expect(read, "the group read finished").not.toBeNull();
    expect(read!.groups.find((group) => group.name === "emptied")?.members).toEqual([]);
  });

  test("sync reads objectGUID, mapped attributes, groups, roles and expiry from pwdLastSet and the domain's maxPwdAge", async () => {
    await dc.disableUser(dc.userDn("carol"));
    await dc.requirePasswordChange(dc.userDn("dave"));
    const started = Date.now();
    const read = await readDirectory(ldap, service);
    expect(read.errors).toEqual([]);
    // The domain's lockoutThreshold, so the worker can warn when its own threshold is not lower.
    expect(read.lockoutThreshold).toBe(SAMBA_POLICY.lockoutThreshold);
    const byName = new Map(read.users.map((user) => [user.username, user]));
    const alice = byName.get(dc.user("alice").mail)!;
    expect(alice).toMatchObject({
      externalId: refs.get("alice")!.externalId,
      displayName: "Alice Anders",
      mobile: "+41795550101",
      roles: ["user", "global_admin"],
      disabled: false,
      passwordNeverExpires: false,
      mustChangePassword: false,
    });
    expect(alice.groups).toEqual(expect.arrayContaining(["crowd", "staff", dc.roleGroups.global_admin]));
    expect(alice.passwordChangedAt).toBeLessThan(started);
    expect(alice.passwordExpiresAt! - alice.passwordChangedAt!).toBeGreaterThan(dc.policy.maxAgeDays * DAY - 1000);
    expect(alice.passwordExpiresAt! - alice.passwordChangedAt!).toBeLessThan(dc.policy.maxAgeDays * DAY + 1000);
    expect(byName.get(dc.user("bob").mail)).toMatchObject({ roles: ["user", "password_admin"] });
    expect(byName.get(dc.user("carol").mail)).toMatchObject({ disabled: true });
    expect(byName.get(dc.user("dave").mail)).toMatchObject({ mustChangePassword: true, passwordExpiresAt: null });
  });

  test("bind: right, wrong, disabled (533), must change (773)", async () => {
    expect(await operations.bind(refs.get("alice")!, "Alice#Pass1")).toEqual({ ok: true });
    expect(await operations.bind(refs.get("alice")!, "Wrong#Pass1")).toMatchObject({ ok: false, reason: "invalid_credentials" });
    expect(await operations.bind(refs.get("carol")!, "Carol#Pass1")).toMatchObject({ ok: false, reason: "disabled" });
    expect(await operations.bind(refs.get("dave")!, "Dave#Pass12")).toMatchObject({ ok: false, reason: "must_change" });
  });

  test("password sets: a reset binds, AD's rules refuse in plain words, a change checks the current one and history", async () => {
    const bob = refs.get("bob")!;
    expect(await operations.setPassword(bob, "reset", "Bob#Fresh12", undefined, false)).toEqual({ ok: true });
    expect(await dc.canBind(bob.dn, "Bob#Fresh12")).toBe(true);
    expect(await operations.setPassword(bob, "reset", "Ab1#", undefined, false)).toMatchObject({ ok: false, reason: "policy", message: expect.stringContaining("too short") });
    expect(await operations.setPassword(bob, "reset", "allsmallletters", undefined, false)).toMatchObject({ ok: false, reason: "policy", message: expect.stringContaining("not complex enough") });

    expect(await operations.setPassword(bob, "change", "Bob#Next123", "Wrong#Pass1", false)).toMatchObject({ ok: false, reason: "wrong_current" });
    expect(await operations.setPassword(bob, "change", "Bob#Next123", "Bob#Fresh12", false)).toEqual({ ok: true });
    expect(await dc.canBind(bob.dn, "Bob#Next123")).toBe(true);
    const reused = await operations.setPassword(bob, "change", "Bob#Fresh12", "Bob#Next123", false);
    expect(reused).toMatchObject({ ok: false, reason: "policy", message: "Your organisation's directory refused this password: it was used recently. Choose one you have not used before." });
  });

  test("an admin set with mustChange sets pwdLastSet 0; the user's change from there goes through", async () => {
    const alice = refs.get("alice")!;
    expect(await operations.setPassword(alice, "admin", "Temp#Pass123", undefined, true)).toEqual({ ok: true });
    expect((await dc.readEntry(alice.dn, ["pwdLastSet"]))?.pwdLastSet).toEqual(["0"]);
    expect(await operations.bind(alice, "Temp#Pass123")).toMatchObject({ ok: false, reason: "must_change" });
    expect(await operations.setPassword(alice, "change", "Alice#Own1234", "Temp#Pass123", false)).toEqual({ ok: true });
    expect(await operations.bind(alice, "Alice#Own1234")).toEqual({ ok: true });
  });

  test("unlock clears lockoutTime after failed binds; a disabled account stays as it is", async () => {
    const bob = refs.get("bob")!;
    await dc.lockByFailedBinds(bob.dn);
    expect(await operations.bind(bob, "Bob#Next123")).toMatchObject({ ok: false, reason: "locked" });
    expect(await operations.unlock(bob)).toEqual({ ok: true });
    expect((await dc.readEntry(bob.dn, ["lockoutTime"]))?.lockoutTime).toEqual(["0"]);
    expect(await operations.bind(bob, "Bob#Next123")).toEqual({ ok: true });
    expect(await operations.unlock(refs.get("carol")!)).toMatchObject({ ok: false, reason: "disabled" });
  });
});

describe("agent against a stock OpenLDAP size limit", () => {
  test("a sync past slapd's default 500 entries names the setting to lift, in one line", async () => {
    const slapd = await startSlapd({ bulkUsers: 600, defaultSizeLimit: true });
    const ldap = parseAgentConfig({ workerUrl: "http://127.0.0.1:1", stateDir: "/tmp/unused", ldap: slapd.agentSettings() }).ldap;
    const service = new ServiceConnection(ldap, tlsOptionsFor(ldap));
    try {
      const failure = await readDirectory(ldap, service).then(() => null, (error: Error) => error);
      expect(failure?.message).toMatch(/^config ldap\.usersBase: the directory stopped the search at its size limit; lift it for ldap\.bindDn/);
      expect(failure?.message).not.toContain("\n");
    } finally {
      await service.close();
      await slapd.stop();
    }
  });
});
