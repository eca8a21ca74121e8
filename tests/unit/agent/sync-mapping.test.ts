import type { Entry } from "ldapts";
import { describe, expect, test } from "vitest";
import type { DirectoryUser } from "../../../shared/directory/protocol.js";
import { type LdapConfig, parseAgentConfig } from "../../../agent/src/config.js";
import { adAccountState } from "../../../agent/src/ldap/account-state.js";
import { dnKey, guidToBytes, guidToString } from "../../../agent/src/ldap/entry.js";
import { membershipIndex } from "../../../agent/src/ldap/read-groups.js";
import { resolveRoleGroups } from "../../../agent/src/ldap/role-groups.js";
import { syncPages } from "../../../agent/src/sync.js";

const ad = parseAgentConfig({
  workerUrl: "https://sspr.example.test",
  stateDir: "/tmp/x",
  ldap: { kind: "ad", url: "ldaps://dc1:636", bindDn: "svc", bindPassword: "p", usersBase: "DC=example,DC=test", groupsBase: "DC=example,DC=test" },
}).ldap;
const now = Date.UTC(2026, 10, 25);
const fileTime = (ms: number) => String(BigInt(ms + 11_644_473_600_000) * 10_000n);
const DAY = 86_400_000;

describe("AD account state", () => {
  const entry = (attributes: Record<string, string>): Entry => ({ dn: "CN=a,DC=example,DC=test", ...attributes });

  test("expiry from pwdLastSet + maxPwdAge, or the constructed attribute when the DC gives it", () => {
    const changed = now - 10 * DAY;
    expect(adAccountState(entry({ userAccountControl: "512", pwdLastSet: fileTime(changed) }), ad, 42 * DAY, now)).toEqual({
      disabled: false,
      passwordChangedAt: changed,
      passwordExpiresAt: changed + 42 * DAY,
      passwordNeverExpires: false,
      mustChangePassword: false,
    });
    const computed = entry({ userAccountControl: "512", pwdLastSet: fileTime(changed), "msDS-UserPasswordExpiryTimeComputed": fileTime(changed + 30 * DAY) });
    expect(adAccountState(computed, ad, 42 * DAY, now).passwordExpiresAt).toBe(changed + 30 * DAY);
  });

  test("never expires: UAC 0x10000, a domain without maxPwdAge, or the constructed 'never'", () => {
    const changed = fileTime(now - DAY);
    expect(adAccountState(entry({ userAccountControl: String(512 | 0x10000), pwdLastSet: changed }), ad, 42 * DAY, now)).toMatchObject({ passwordNeverExpires: true, passwordExpiresAt: null });
    expect(adAccountState(entry({ userAccountControl: "512", pwdLastSet: changed }), ad, null, now)).toMatchObject({ passwordNeverExpires: true, passwordExpiresAt: null });
    expect(adAccountState(entry({ userAccountControl: "512", pwdLastSet: changed, "msDS-UserPasswordExpiryTimeComputed": "9223372036854775807" }), ad, 42 * DAY, now)).toMatchObject({ passwordNeverExpires: true, passwordExpiresAt: null });
  });

  test("disabled: UAC bit 2 or an expired account; must change: pwdLastSet 0", () => {
    expect(adAccountState(entry({ userAccountControl: "514" }), ad, 42 * DAY, now).disabled).toBe(true);
    expect(adAccountState(entry({ userAccountControl: "512", accountExpires: fileTime(now - DAY) }), ad, 42 * DAY, now).disabled).toBe(true);
    expect(adAccountState(entry({ userAccountControl: "512", accountExpires: "9223372036854775807" }), ad, 42 * DAY, now).disabled).toBe(false);
    expect(adAccountState(entry({ userAccountControl: "512", pwdLastSet: "0" }), ad, 42 * DAY, now)).toMatchObject({ mustChangePassword: true, passwordChangedAt: null, passwordExpiresAt: null });
  });
});

describe("objectGUID", () => {
  test("bytes to the usual text (first three fields little-endian) and back", () => {
    const bytes = Buffer.from("00112233445566778899aabbccddeeff", "hex");
    expect(guidToString(bytes)).toBe("33221100-5544-7766-8899-aabbccddeeff");
    expect(guidToBytes("33221100-5544-7766-8899-aabbccddeeff")).toEqual(bytes);
    expect(guidToBytes("x)(objectClass=*")).toBeNull();
  });
});

describe("group membership", () => {
  const names = (index: Map<string, { name: string }[]>, member: string) => index.get(member)?.map((group) => group.name);

  test("users get their groups through nesting, cycles included", () => {
    const index = membershipIndex([
      { dn: "cn=staff,ou=g", name: "staff", members: ["cn=helpdesk,ou=g", "uid=a,ou=p"] },
      { dn: "cn=helpdesk,ou=g", name: "helpdesk", members: ["uid=b,ou=p", "cn=it,ou=g"] },
      { dn: "cn=it,ou=g", name: "it", members: ["uid=c,ou=p", "cn=staff,ou=g"] },
      { dn: "cn=empty,ou=g", name: "empty", members: [] },
    ]);
    expect(names(index, "uid=a,ou=p")).toEqual(["helpdesk", "it", "staff"]);
    expect(names(index, "uid=c,ou=p")).toEqual(["helpdesk", "it", "staff"]);
    expect(names(index, "uid=b,ou=p")).toEqual(["helpdesk", "it", "staff"]);
    const plain = membershipIndex([
      { dn: "cn=staff,ou=g", name: "staff", members: ["cn=helpdesk,ou=g"] },
      { dn: "cn=helpdesk,ou=g", name: "helpdesk", members: ["uid=b,ou=p"] },
    ]);
    expect(names(plain, "uid=b,ou=p")).toEqual(["helpdesk", "staff"]);
    expect(index.has("cn=helpdesk,ou=g")).toBe(false);
  });

  test("DNs compare without case or spaces around separators, but an escaped comma's spaces are part of the name", () => {
    expect(dnKey("CN = Staff , OU=Groups")).toBe(dnKey("cn=staff,ou=groups"));
    expect(dnKey("cn=Smith\\, John,ou=g")).not.toBe(dnKey("cn=Smith\\,John,ou=g"));
  });
});

describe("role groups", () => {
  const ldap = (roleGroups: { global_admin: string[]; password_admin: string[] }) => ({ roleGroups }) as LdapConfig;
  const admins = { dn: "cn=SSPR Admins,ou=groups,dc=x", name: "SSPR Admins", members: [] };
  const helpdesk = { dn: "cn=Helpdesk,ou=groups,dc=x", name: "Helpdesk", members: [] };
  const lookalike = { dn: "cn=SSPR Admins,ou=TeamX,ou=groups,dc=x", name: "SSPR Admins", members: [] };

  test("a cn names its one group, case-insensitively; members get the role", () => {
    const roles = resolveRoleGroups(ldap({ global_admin: ["sspr admins"], password_admin: ["Helpdesk"] }), [admins, helpdesk]);
    expect(roles.warnings).toEqual([]);
    expect(roles.rolesOf([admins])).toEqual(["user", "global_admin"]);
    expect(roles.rolesOf([helpdesk])).toEqual(["user", "password_admin"]);
    expect(roles.rolesOf([])).toEqual(["user"]);
  });

  test("a cn that two groups share grants nothing and says so; a DN names the intended one", () => {
    const ambiguous = resolveRoleGroups(ldap({ global_admin: ["SSPR Admins"], password_admin: [] }), [admins, lookalike]);
    expect(ambiguous.rolesOf([lookalike])).toEqual(["user"]);
    expect(ambiguous.rolesOf([admins])).toEqual(["user"]);
    expect(ambiguous.warnings).toEqual([expect.stringContaining("Name the group you mean by its DN")]);
    const byDn = resolveRoleGroups(ldap({ global_admin: ["CN=SSPR Admins, OU=groups, DC=x"], password_admin: [] }), [admins, lookalike]);
    expect(byDn.warnings).toEqual([]);
    expect(byDn.rolesOf([admins])).toEqual(["user", "global_admin"]);
    expect(byDn.rolesOf([lookalike])).toEqual(["user"]);
    const missing = resolveRoleGroups(ldap({ global_admin: ["cn=Gone,ou=groups,dc=x"], password_admin: [] }), [admins]);
    expect(missing.warnings).toEqual([expect.stringContaining("no group cn=Gone,ou=groups,dc=x")]);
  });
});

describe("sync pages", () => {
  const user = (n: number) => ({ username: `u${n}` }) as DirectoryUser;

  test("1000 users a page, in order, the last one marked and carrying the errors", () => {
    const pages = syncPages("sync-0001", { users: Array.from({ length: 2001 }, (_, n) => user(n)), groups: ["staff"], errors: ["e1"], warnings: [], seen: [], skipped: [], lockoutThreshold: 5 }, 1_700_000_000_000);
    expect(pages.map((page) => [page.page, page.users.length, page.last, page.errors])).toEqual([
      [0, 1000, false, []],
      [1, 1000, false, []],
      [2, 1, true, ["e1"]],
    ]);
    expect(pages[0]!.groups).toEqual(["staff"]);
    expect(pages[2]!.users[0]!.username).toBe("u2000");
    // When the read began goes once, with page 0: the worker dates the sync by it.
    expect(pages.map((page) => page.readStartedAt)).toEqual([1_700_000_000_000, undefined, undefined]);
    expect(pages.map((page) => page.directoryLockout)).toEqual([{ threshold: 5 }, undefined, undefined]);
  });

  test("pages stay within the worker's 8 MiB however large the users are: cut by bytes as well as by count", () => {
    const groups = Array.from({ length: 1000 }, (_, n) => `${"g".repeat(90)}${String(n).padStart(4, "0")}`);
    const big = (n: number) => ({ username: `u${n}`, groups }) as unknown as DirectoryUser;
    const read = { users: Array.from({ length: 1000 }, (_, n) => big(n)), groups, errors: Array.from({ length: 100 }, () => "e".repeat(1000)), warnings: [], seen: [], skipped: [], lockoutThreshold: null };
    const pages = syncPages("sync-0003", read, 1_700_000_000_000);
    expect(pages.length).toBeGreaterThan(1);
    for (const page of pages) expect(Buffer.byteLength(JSON.stringify(page))).toBeLessThan(8 * 1024 * 1024);
    expect(pages.flatMap((page) => page.users).map((u) => u.username)).toEqual(read.users.map((u) => u.username));
    expect(pages.flatMap((page) => page.groups)).toEqual(groups);
    expect(pages.filter((page) => page.last)).toEqual([pages.at(-1)]);
  });

  test("warnings go on the last page, and only when there are some (a worker from before them refuses the field)", () => {
    const read = { users: [], groups: [], errors: [], warnings: [], seen: [], skipped: [], lockoutThreshold: null };
    expect(syncPages("sync-0004", read, 0).some((page) => "warnings" in page)).toBe(false);
    const pages = syncPages("sync-0005", { ...read, users: Array.from({ length: 1001 }, (_, n) => user(n)), warnings: ["w1"] }, 0);
    expect(pages.map((page) => page.warnings)).toEqual([undefined, ["w1"]]);
  });

  test("ids of users read but not sent travel with the pages, 1000 at most a page, and only when there are some", () => {
    const read = { users: [], groups: [], errors: [], warnings: [], seen: Array.from({ length: 1500 }, (_, n) => `id-${n}`), skipped: [], lockoutThreshold: null };
    const pages = syncPages("sync-0006", read, 0);
    expect(pages.map((page) => page.seen?.length)).toEqual([1000, 500]);
    expect(syncPages("sync-0007", { ...read, seen: [] }, 0).some((page) => "seen" in page)).toBe(false);
  });

  test("an empty directory is one last page; more than 100 errors are summed up in the hundredth", () => {
    const errors = Array.from({ length: 150 }, (_, n) => `e${n}`);
    const [only, ...rest] = syncPages("sync-0002", { users: [], groups: [], errors, warnings: [], seen: [], skipped: [], lockoutThreshold: null }, 1_700_000_000_000);
    expect(rest).toEqual([]);
    expect(only).toMatchObject({ page: 0, last: true, users: [] });
    expect(only!.errors).toHaveLength(100);
    expect(only!.errors[99]).toBe("… and 51 more problems");
  });
});
