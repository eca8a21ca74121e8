import { describe, expect, test } from "vitest";
import { parseAgentConfig } from "../../../agent/src/config.js";
import { AgentFatalError } from "../../../agent/src/fatal.js";

const valid = () => ({
  workerUrl: "http://127.0.0.1:8787",
  enrollmentToken: "token",
  stateDir: "/var/lib/opensspr-agent",
  ldap: {
    kind: "openldap",
    url: "ldaps://dc1.example.test:636",
    bindDn: "cn=opensspr,ou=services,dc=example,dc=test",
    bindPassword: "secret",
    usersBase: "ou=people,dc=example,dc=test",
    groupsBase: "ou=groups,dc=example,dc=test",
  },
});

function problem(config: unknown): string {
  try {
    parseAgentConfig(config);
  } catch (error) {
    expect(error).toBeInstanceOf(AgentFatalError);
    return (error as Error).message;
  }
  throw new Error("the config was accepted");
}

describe("agent config", () => {
  test("a minimal config gets the spec's defaults, per directory kind", () => {
    const config = parseAgentConfig(valid());
    expect(config.syncIntervalSeconds).toBe(300);
    expect(config.ldap).toMatchObject({ usernameAttribute: "uid", usersFilter: "(objectClass=inetOrgPerson)", tlsInsecure: false, roleGroups: { global_admin: [], password_admin: [] } });
    const ad = parseAgentConfig({ ...valid(), ldap: { ...valid().ldap, kind: "ad" } });
    expect(ad.ldap).toMatchObject({ usernameAttribute: "sAMAccountName", displayNameAttribute: "displayName", groupsFilter: "(objectClass=group)" });
  });

  test.each([
    [{ ldap: { ...valid().ldap, url: "http://dc1" } }, "config ldap.url: must start with ldap:// or ldaps:// and name only a host and port"],
    [{ ldap: { ...valid().ldap, kind: "ad", url: "ldap://dc1:389" } }, "config ldap.url: must be ldaps:// for Active Directory (it sets passwords only over TLS)"],
    [{ ldap: { ...valid().ldap, kind: "novell" } }, 'config ldap.kind: must be "openldap" or "ad"'],
    [{ ldap: { ...valid().ldap, bindDn: undefined } }, "config ldap.bindDn: is missing"],
    [{ ldap: { ...valid().ldap, usernameAtribute: "mail" } }, "config ldap.usernameAtribute: unknown field"],
    [{ workerUrl: "127.0.0.1:8787" }, "config workerUrl: must start with http:// or https://"],
    [{ workerUrl: "http://sspr.contoso.com" }, "config workerUrl: must be https:// (plain http:// only to localhost or 127.0.0.1)"],
    [{ workerUrl: "http://localhost.evil.example:8787" }, "config workerUrl: must be https:// (plain http:// only to localhost or 127.0.0.1)"],
    [{ syncIntervalSeconds: 5 }, "config syncIntervalSeconds: must be at least 30"],
    [{ ldap: { ...valid().ldap, roleGroups: { global_admin: "admins" } } }, "config ldap.roleGroups.global_admin: must be a list of group cn names or DNs"],
    [{ ldap: { ...valid().ldap, tlsInsecure: "no" } }, "config ldap.tlsInsecure: must be true or false"],
    [{ ldap: undefined }, "config ldap: is missing"],
  ])("names the field and what is wrong, in one line: %j", (change, message) => {
    const text = problem({ ...valid(), ...change });
    expect(text).toBe(message);
    expect(text).not.toContain("\n");
  });
});
