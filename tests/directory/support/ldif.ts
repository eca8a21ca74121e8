import { createHash, randomBytes } from "node:crypto";

/** LDIF records for slapadd and ldbadd. */

export type LdifRecord = { dn: string } & Record<string, string | string[] | undefined>;

const SAFE_VALUE = /^[\x21-\x39\x3b\x3d-\x7e][\x20-\x7e]*$/;

function line(name: string, value: string): string {
  return SAFE_VALUE.test(value) && !value.endsWith(" ")
    ? `${name}: ${value}`
    : `${name}:: ${Buffer.from(value, "utf8").toString("base64")}`;
}

export function toLdif(records: LdifRecord[]): string {
  return records
    .map(({ dn, ...attributes }) => {
      const lines = [line("dn", dn)];
      for (const [name, value] of Object.entries(attributes)) {
        if (value === undefined) continue;
        for (const v of Array.isArray(value) ? value : [value]) lines.push(line(name, v));
      }
      return lines.join("\n") + "\n";
    })
    .join("\n");
}

/** The {SSHA} form slapd itself stores, computed here so 10,000 users need no slappasswd runs. */
export function sshaHash(password: string): string {
  const salt = randomBytes(8);
  const digest = createHash("sha1").update(password, "utf8").update(salt).digest();
  return `{SSHA}${Buffer.concat([digest, salt]).toString("base64")}`;
}
