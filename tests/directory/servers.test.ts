import { existsSync } from "node:fs";
import { Attribute, Change } from "ldapts";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { PASSWORD_MODIFY_OID, passwordModifyValue, readEntry, tryBind } from "./support/ldap.js";
import { groupAlive } from "./support/processes.js";
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
  test("10,000 bulk users load, and stop leaves no process and no folder behind", async () => {
    const slapd = await startSlapd({ bulkUsers: 10_000 });
    const last = slapd.bulkUsers.at(-1)!;
    expect(last.username).toBe("bulk10000");
    expect(await slapd.canBind(last.dn, last.password)).toBe(true);
    await slapd.stop();
    expect(groupAlive(slapd.pid)).toBe(false);
    expect(existsSync(slapd.dir)).toBe(false);
    expect(await tryBind({ url: slapd.url, caFile: "" }, last.dn, last.password)).toMatchObject({ ok: false, message: expect.stringContaining("ECONNREFUSED") });
  });
});
