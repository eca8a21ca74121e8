import { readFileSync } from "node:fs";
import { BerWriter, Client, type Entry } from "ldapts";

/** ldapts plumbing shared by the OpenLDAP and Samba harnesses and their tests. */

export type Attributes = Record<string, string[]>;

export interface Endpoint {
  url: string;
  /** CA that signed the server's certificate; used only for ldaps:// URLs. */
  caFile: string;
}

/** ldapts turns TLS on whenever tlsOptions is present, even for ldap://: pass them only for ldaps://. */
export function connect({ url, caFile }: Endpoint, timeoutMs = 10_000): Client {
  const tls = url.startsWith("ldaps://");
  return new Client({
    url,
    timeout: timeoutMs,
    connectTimeout: timeoutMs,
    ...(tls ? { tlsOptions: { ca: [readFileSync(caFile)] } } : {}),
  });
}

/** Binds, runs `work`, always unbinds. */
export async function withBoundClient<T>(endpoint: Endpoint, dn: string, password: string, work: (client: Client) => Promise<T>): Promise<T> {
  const client = connect(endpoint);
  try {
    await client.bind(dn, password);
    return await work(client);
  } finally {
    await client.unbind().catch(() => undefined);
  }
}

export type BindOutcome = { ok: true } | { ok: false; code: number | undefined; name: string; message: string };

/** A simple bind's result as data, so tests can assert on refusals (49, AD's "data 775", …). */
export async function tryBind(endpoint: Endpoint, dn: string, password: string): Promise<BindOutcome> {
  const client = connect(endpoint);
  try {
    await client.bind(dn, password);
    return { ok: true };
  } catch (error) {
    const e = error as { code?: number; name?: string; message?: string };
    return { ok: false, code: e.code, name: e.name ?? "Error", message: e.message ?? String(error) };
  } finally {
    await client.unbind().catch(() => undefined);
  }
}

/**
 * Every attribute present as an array of strings (ldapts gives a string for one value, an array for
 * several); attributes asked for as binary (AD's objectGUID, objectSid) come as base64.
 */
export function normaliseEntry(entry: Entry): Attributes {
  const attributes: Attributes = {};
  for (const [name, value] of Object.entries(entry)) {
    // ldapts also echoes requested names such as "*" and "+" with no values.
    if (name === "dn" || (Array.isArray(value) && value.length === 0)) continue;
    const values = Array.isArray(value) ? value : [value];
    attributes[name] = values.map((v) => (Buffer.isBuffer(v) ? v.toString("base64") : String(v)));
  }
  return attributes;
}

/** One entry's attributes (user and operational by default), or null when it does not exist. */
export async function readEntry(client: Client, dn: string, attributes: string[] = ["*", "+"], binaryAttributes: string[] = []): Promise<Attributes | null> {
  try {
    const { searchEntries } = await client.search(dn, { scope: "base", filter: "(objectClass=*)", attributes, explicitBufferAttributes: binaryAttributes });
    const [entry] = searchEntries;
    return entry ? normaliseEntry(entry) : null;
  } catch (error) {
    if ((error as { code?: number }).code === 32) return null;
    throw error;
  }
}

export const PASSWORD_MODIFY_OID = "1.3.6.1.4.1.4203.1.11.1";

/** RFC 3062 PasswdModifyRequestValue: SEQUENCE { [0] userIdentity?, [1] oldPasswd?, [2] newPasswd? }. */
export function passwordModifyValue(userDn: string | null, oldPassword: string | null, newPassword: string): Buffer {
  const writer = new BerWriter();
  writer.startSequence();
  if (userDn !== null) writer.writeString(userDn, 0x80);
  if (oldPassword !== null) writer.writeString(oldPassword, 0x81);
  writer.writeString(newPassword, 0x82);
  writer.endSequence();
  return writer.buffer;
}

/** AD's unicodePwd value: the password in double quotes, UTF-16LE. */
export function unicodePwd(password: string): Buffer {
  return Buffer.from(`"${password}"`, "utf16le");
}
