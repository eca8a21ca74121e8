import { readFileSync } from "node:fs";
import { z } from "zod";
import { AgentFatalError } from "./fatal.js";

const text = (what: string) => z.string({ error: `must be ${what}` }).trim().min(1, `must not be empty`);
const groupNames = z.array(z.string().min(1).max(2000), { error: "must be a list of group cn names or DNs" }).default([]);

const ldapSchema = z
  .strictObject({
    kind: z.enum(["openldap", "ad"], { error: 'must be "openldap" or "ad"' }),
    url: text("an LDAP URL").regex(/^ldaps?:\/\/[^/\s]+\/?$/i, "must start with ldap:// or ldaps:// and name only a host and port"),
    tlsCaFile: z.string({ error: "must be a file path or null" }).min(1, "must not be empty").nullable().default(null),
    tlsInsecure: z.boolean({ error: "must be true or false" }).default(false),
    bindDn: text("the service account's DN"),
    bindPassword: z.string({ error: "must be the service account's password" }).min(1, "must not be empty"),
    usersBase: text("a DN"),
    usersFilter: text("an LDAP filter").regex(/^\(.*\)$/s, "must be an LDAP filter in parentheses").optional(),
    usernameAttribute: text("an attribute name").optional(),
    displayNameAttribute: text("an attribute name").optional(),
    emailAttribute: text("an attribute name").nullable().default("mail"),
    alternateEmailAttribute: text("an attribute name").nullable().default(null),
    mobileAttribute: text("an attribute name").nullable().default("mobile"),
    groupsBase: text("a DN"),
    groupsFilter: text("an LDAP filter").regex(/^\(.*\)$/s, "must be an LDAP filter in parentheses").optional(),
    roleGroups: z
      .strictObject({ global_admin: groupNames, password_admin: groupNames }, { error: "must be an object with global_admin and password_admin lists" })
      .default({ global_admin: [], password_admin: [] }),
    /** An attribute that marks an account disabled when it holds one of `values` (compared case-insensitively). */
    disabledAttribute: z
      .strictObject({ name: text("an attribute name"), values: z.array(z.string().min(1)).min(1).default(["TRUE"]) }, { error: 'must be null or {"name", "values"}' })
      .nullable()
      .default(null),
    /** OpenLDAP: the ppolicy entry for users without pwdPolicySubentry (the overlay's ppolicy_default is not readable over LDAP). */
    passwordPolicyDn: text("a DN").nullable().default(null),
  })
  .superRefine((ldap, ctx) => {
    if (ldap.kind === "ad" && !/^ldaps:/i.test(ldap.url)) {
      ctx.addIssue({ code: "custom", path: ["url"], message: "must be ldaps:// for Active Directory (it sets passwords only over TLS)" });
    }
  })
  .transform((ldap) => ({
    ...ldap,
    usersFilter: ldap.usersFilter ?? (ldap.kind === "ad" ? "(&(objectCategory=person)(objectClass=user))" : "(objectClass=inetOrgPerson)"),
    usernameAttribute: ldap.usernameAttribute ?? (ldap.kind === "ad" ? "sAMAccountName" : "uid"),
    displayNameAttribute: ldap.displayNameAttribute ?? (ldap.kind === "ad" ? "displayName" : "cn"),
    groupsFilter: ldap.groupsFilter ?? (ldap.kind === "ad" ? "(objectClass=group)" : "(|(objectClass=groupOfNames)(objectClass=groupOfUniqueNames))"),
  }));

export const agentConfigSchema = z.strictObject({
  // The agent's credential and every password it is sent travel on this connection: plain http only to a worker on this machine.
  workerUrl: text("a URL")
    .regex(/^https?:\/\/[^/\s]+(\/.*)?$/i, "must start with http:// or https://")
    .refine((url) => /^https:/i.test(url) || /^http:\/\/(localhost|127\.\d+\.\d+\.\d+|\[::1\])(:\d+)?(\/|$)/i.test(url), "must be https:// (plain http:// only to localhost or 127.0.0.1)"),
  enrollmentToken: z.string({ error: "must be the token from the admin console" }).min(1, "must not be empty").max(200).nullable().optional(),
  stateDir: text("a directory path"),
  syncIntervalSeconds: z.number({ error: "must be a number of seconds" }).int("must be a whole number of seconds").min(30, "must be at least 30").max(86_400, "must be at most 86400").default(300),
  ldap: ldapSchema,
});
export type AgentConfig = z.infer<typeof agentConfigSchema>;
export type LdapConfig = AgentConfig["ldap"];

function valueAt(raw: unknown, path: PropertyKey[]): unknown {
  let value = raw;
  for (const key of path) value = value !== null && typeof value === "object" ? (value as Record<PropertyKey, unknown>)[key] : undefined;
  return value;
}

function describeIssue(raw: unknown, issue: z.core.$ZodIssue): string {
  const path = issue.path.map(String).join(".");
  if (issue.code === "unrecognized_keys") {
    const field = [path, issue.keys[0]].filter(Boolean).join(".");
    return `config ${field}: unknown field`;
  }
  const missing = issue.code === "invalid_type" && valueAt(raw, issue.path) === undefined;
  return `config ${path || "(file)"}: ${missing ? "is missing" : issue.message}`;
}

/** Validates parsed JSON; a problem becomes one AgentFatalError naming the first wrong field. */
export function parseAgentConfig(raw: unknown): AgentConfig {
  const parsed = agentConfigSchema.safeParse(raw);
  if (!parsed.success) throw new AgentFatalError(describeIssue(raw, parsed.error.issues[0]!));
  return parsed.data;
}

export function loadAgentConfig(path: string | undefined): AgentConfig {
  if (!path) throw new AgentFatalError("set OPENSSPR_AGENT_CONFIG to the path of the agent's JSON config file");
  let source: string;
  try {
    source = readFileSync(path, "utf8");
  } catch (error) {
    throw new AgentFatalError(`cannot read the config file ${path} (${(error as NodeJS.ErrnoException).code ?? "unreadable"})`);
  }
  let raw: unknown;
  try {
    raw = JSON.parse(source);
  } catch (error) {
    throw new AgentFatalError(`config file ${path} is not valid JSON (${(error as Error).message})`);
  }
  return parseAgentConfig(raw);
}
