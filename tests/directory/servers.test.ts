import { existsSync } from "node:fs";
import { Attribute, Change } from "ldapts";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { PASSWORD_MODIFY_OID, passwordModifyValue, readEntry, tryBind, unicodePwd } from "./support/ldap.js";
import { groupAlive } from "./support/processes.js";
import { type SambaDc, startSambaDc } from "./support/samba.js";
import { SLAPD_ADMIN_LOCK, type SlapdServer, startSlapd } from "./support/slapd.js";

describe("OpenLDAP harness", () => {
  let slapd: SlapdServer;
  beforeAll(async () => {
    slapd = await startSlapd();
  });
  afterAll(async () => {
    await slapd?.stop();
  });

  test("the service account binds over LDAPS, verified with the returned CA; without the CA the handshake fails", async () => {
    expect(await slapd.tryBind(slapd.serviceDn, slapd.servicePassword)).toEqual({ ok: true });
    const unverified = await tryBind({ url: slapd.ldapsUrl, caFile: "/etc/ssl/certs/ca-certificates.crt" }, slapd.serviceDn, slapd.servicePassword);
    expect(unverified.ok).toBe(false);
  });

  test("a user binds with its password and not with another", async () => {
    const alice = slapd.user("alice");
    expect(await slapd.canBind(alice.dn, alice.password)).toBe(true);
    expect(await slapd.tryBind(alice.dn, "Wrong#Pass1")).toMatchObject({ ok: false, code: 49 });
  });

  test("users carry mail, cn, mobile and memberOf; the service account reads them and entryUUID", async () => {
    const alice = slapd.user("alice");
    const entry = await slapd.asService((client) => readEntry(client, alice.dn, ["mail", "cn", "mobile", "memberOf", "entryUUID", "userPassword"]));
    expect(entry).toMatchObject({
      mail: ["alice@example.test"],
      cn: ["Alice Anders"],
      mobile: ["+41795550101"],
      memberOf: expect.arrayContaining([`cn=staff,${slapd.groupsBase}`, `cn=${slapd.roleGroups.global_admin},${slapd.groupsBase}`]),
    });
    expect(entry?.entryUUID?.[0]).toMatch(/^[0-9a-f-]{36}$/);
    expect(entry?.userPassword).toBeUndefined();
  });

  test("ppolicy refuses a short password set by the service account through Password Modify, and takes a good one", async () => {
    const bob = slapd.user("bob");
    const refusal = await slapd
      .asService((client) => client.exop(PASSWORD_MODIFY_OID, passwordModifyValue(bob.dn, null, "Short1")))
      .then(() => null, (error: { code?: number; message?: string }) => error);
    expect(refusal).toMatchObject({ code: 19, message: expect.stringContaining("quality") });
    expect(await slapd.canBind(bob.dn, bob.password)).toBe(true);

    await slapd.asService((client) => client.exop(PASSWORD_MODIFY_OID, passwordModifyValue(bob.dn, null, "Bob#NewPass7")));
    expect(await slapd.canBind(bob.dn, "Bob#NewPass7")).toBe(true);
    expect(await slapd.canBind(bob.dn, bob.password)).toBe(false);
    expect((await slapd.readEntry(bob.dn, ["userPassword"]))?.userPassword?.[0]).toMatch(/^\{SSHA\}/);
  });

  test("failed binds lock a user; the service account can clear that lock", async () => {
    const carol = slapd.user("carol");
    await slapd.lockByFailedBinds(carol.dn);
    expect((await slapd.readEntry(carol.dn, ["pwdAccountLockedTime"]))?.pwdAccountLockedTime).toHaveLength(1);
    expect(await slapd.canBind(carol.dn, carol.password)).toBe(false);

    await slapd.asService((client) =>
      client.modify(carol.dn, new Change({ operation: "delete", modification: new Attribute({ type: "pwdAccountLockedTime" }) })),
    );
    expect(await slapd.canBind(carol.dn, carol.password)).toBe(true);
  });

  test("an administrative lock reads as 000001010000Z and refuses binds; a removed user is gone", async () => {
    const dave = slapd.user("dave");
    await slapd.adminLock(dave.dn);
    expect((await slapd.readEntry(dave.dn, ["pwdAccountLockedTime"]))?.pwdAccountLockedTime).toEqual([SLAPD_ADMIN_LOCK]);
    expect(await slapd.canBind(dave.dn, dave.password)).toBe(false);

    await slapd.removeUser(dave.dn);
    expect(await slapd.readEntry(dave.dn)).toBeNull();
  });

  test("an added user binds and shows up in its group's members and memberOf", async () => {
    const erin = await slapd.addUser({ username: "erin", password: "Erin#Pass12", displayName: "Erin Evans", groups: ["staff", "new-team"] });
    expect(await slapd.canBind(erin.dn, erin.password)).toBe(true);
    const entry = await slapd.readEntry(erin.dn, ["memberOf"]);
    expect(entry?.memberOf?.sort()).toEqual([`cn=new-team,${slapd.groupsBase}`, `cn=staff,${slapd.groupsBase}`]);
  });
});

describe("OpenLDAP harness lifecycle", () => {
  test("custom users, groups and policy: a group nobody is in does not exist until someone joins", async () => {
    const slapd = await startSlapd({ users: [{ username: "zoe", password: "Zoe#Pass123" }], groups: { ops: ["zoe"] }, policy: { minLength: 12 } });
    try {
      expect(slapd.groups.map((g) => g.cn)).toEqual(["ops"]);
      expect((await slapd.readEntry(`cn=default,ou=policies,${slapd.baseDn}`, ["pwdMinLength"]))?.pwdMinLength).toEqual(["12"]);
      await slapd.addToGroup(slapd.roleGroups.global_admin, "zoe");
      expect((await slapd.readEntry(slapd.userDn("zoe"), ["memberOf"]))?.memberOf?.sort()).toEqual([
        `cn=ops,${slapd.groupsBase}`,
        `cn=${slapd.roleGroups.global_admin},${slapd.groupsBase}`,
      ]);
    } finally {
      await slapd.stop();
    }
  });

  test("10,000 bulk users load, the service account reads them all (past slapd's default 500), and stop leaves no process and no folder behind", async () => {
    const slapd = await startSlapd({ bulkUsers: 10_000 });
    const last = slapd.bulkUsers.at(-1)!;
    expect(last.username).toBe("bulk10000");
    expect(await slapd.canBind(last.dn, last.password)).toBe(true);
    const read = await slapd.asService((client) => client.search(slapd.usersBase, { scope: "one", filter: "(uid=bulk*)", attributes: ["uid"], paged: { pageSize: 500 } }));
    expect(read.searchEntries).toHaveLength(10_000);
    await slapd.stop();
    expect(groupAlive(slapd.pid)).toBe(false);
    expect(existsSync(slapd.dir)).toBe(false);
    expect(await tryBind({ url: slapd.url, caFile: "" }, last.dn, last.password)).toMatchObject({ ok: false, message: expect.stringContaining("ECONNREFUSED") });
  });
});

describe("Samba AD harness", () => {
  let dc: SambaDc;
  beforeAll(async () => {
    dc = await startSambaDc();
  });
  afterAll(async () => {
    await dc?.stop();
  });

  test("the service account binds over LDAPS, verified with the returned CA; without the CA the handshake fails", async () => {
    expect(await dc.tryBind(dc.serviceDn, dc.servicePassword)).toEqual({ ok: true });
    const unverified = await tryBind({ url: dc.ldapsUrl, caFile: "/etc/ssl/certs/ca-certificates.crt" }, dc.serviceDn, dc.servicePassword);
    expect(unverified.ok).toBe(false);
  });

  test("a user binds with its password; a wrong one is refused with AD's data 52e", async () => {
    const alice = dc.user("alice");
    expect(await dc.canBind(alice.dn, alice.password)).toBe(true);
    expect(await dc.tryBind(alice.dn, "Wrong#Pass1")).toMatchObject({ ok: false, code: 49, message: expect.stringContaining("data 52e") });
  });

  test("users carry mail, displayName, mobile and memberOf; the service account reads them and objectGUID", async () => {
    const alice = dc.user("alice");
    const entry = await dc.asService((client) => readEntry(client, alice.dn, ["mail", "displayName", "mobile", "memberOf", "objectGUID", "userAccountControl"], ["objectGUID"]));
    expect(entry).toMatchObject({
      mail: ["alice@example.test"],
      displayName: ["Alice Anders"],
      mobile: ["+41795550101"],
      userAccountControl: ["512"],
      memberOf: expect.arrayContaining([`CN=staff,${dc.groupsBase}`, `CN=${dc.roleGroups.global_admin},${dc.groupsBase}`]),
    });
    expect(Buffer.from(entry!.objectGUID![0]!, "base64")).toHaveLength(16);
  });

  test("the service account's reset of a short password is refused with 0000052D; a good one is taken and the old one stops working", async () => {
    const bob = dc.user("bob");
    const replace = (password: string) =>
      dc.asService((client) => client.modify(bob.dn, new Change({ operation: "replace", modification: new Attribute({ type: "unicodePwd", values: [unicodePwd(password)] }) })));
    const refusal = await replace("Ab#1").then(() => null, (error: { code?: number; message?: string }) => error);
    expect(refusal).toMatchObject({ code: 19, message: expect.stringContaining("0000052D") });

    await replace("Bob#NewPass7");
    expect(await dc.canBind(bob.dn, "Bob#NewPass7")).toBe(true);
    expect(await dc.canBind(bob.dn, bob.password)).toBe(false);
  });

  test("failed binds lock a user out (data 775); the service account can clear lockoutTime", async () => {
    const carol = dc.user("carol");
    await dc.lockByFailedBinds(carol.dn);
    expect(Number((await dc.readEntry(carol.dn, ["lockoutTime"]))?.lockoutTime?.[0])).toBeGreaterThan(0);
    expect(await dc.tryBind(carol.dn, carol.password)).toMatchObject({ ok: false, message: expect.stringContaining("data 775") });

    await dc.asService((client) => client.modify(carol.dn, new Change({ operation: "replace", modification: new Attribute({ type: "lockoutTime", values: ["0"] }) })));
    expect(await dc.canBind(carol.dn, carol.password)).toBe(true);
  });

  test("the group of more than 1,500 members reads in ranges", async () => {
    const read = (range: string) =>
      dc.asService(async (client) => {
        const { searchEntries } = await client.search(dc.crowdGroup.dn, { scope: "base", attributes: [`member;range=${range}`] });
        return searchEntries[0]!;
      });
    const first = await read("0-1499");
    expect(first["member;range=0-1499"]).toHaveLength(1_500);
    const rest = await read("1500-*");
    const last = rest["member;range=1500-*"] as string[];
    expect(last).toHaveLength(dc.crowdGroup.members.length - 1_500);
    expect(new Set([...(first["member;range=0-1499"] as string[]), ...last])).toEqual(new Set(dc.crowdGroup.members));
  });

  test("a user whose password must change cannot bind (data 773); the service account can write pwdLastSet", async () => {
    const alice = dc.user("alice");
    await dc.requirePasswordChange(alice.dn);
    expect(await dc.tryBind(alice.dn, alice.password)).toMatchObject({ ok: false, message: expect.stringContaining("data 773") });
    await dc.asService((client) => client.modify(alice.dn, new Change({ operation: "replace", modification: new Attribute({ type: "pwdLastSet", values: ["-1"] }) })));
    expect(await dc.canBind(alice.dn, alice.password)).toBe(true);
  });

  test("a disabled user cannot bind (data 533); a removed user is gone; an added user binds and has memberOf", async () => {
    const dave = dc.user("dave");
    await dc.disableUser(dave.dn);
    expect(await dc.tryBind(dave.dn, dave.password)).toMatchObject({ ok: false, message: expect.stringContaining("data 533") });
    await dc.removeUser(dave.dn);
    expect(await dc.readEntry(dave.dn)).toBeNull();

    const erin = await dc.addUser({ username: "erin", password: "Erin#Pass12", displayName: "Erin Evans", groups: ["staff"] });
    expect(await dc.canBind(erin.dn, erin.password)).toBe(true);
    expect((await dc.readEntry(erin.dn, ["memberOf"]))?.memberOf).toEqual([`CN=staff,${dc.groupsBase}`]);
  });

  test("a second DC runs beside the first on its own address, and stop leaves no process and no folder behind", async () => {
    const second = await startSambaDc();
    expect(second.ip).not.toBe(dc.ip);
    expect(await second.canBind(second.user("alice").dn, "Alice#Pass1")).toBe(true);
    await second.stop();
    expect(groupAlive(second.pid)).toBe(false);
    expect(existsSync(second.dir)).toBe(false);
  });
});
