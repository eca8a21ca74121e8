import type { Entry } from "ldapts";

/** ldapts gives one value as a string, several as an array, none as `[]`; attribute names are matched case-insensitively. */
export function values(entry: Entry, attribute: string): string[] {
  const raw = lookup(entry, attribute);
  if (raw === undefined) return [];
  const list = Array.isArray(raw) ? raw : [raw];
  return list.map((value) => (Buffer.isBuffer(value) ? value.toString("utf8") : value));
}

export function first(entry: Entry, attribute: string): string | undefined {
  return values(entry, attribute)[0];
}

export function firstBuffer(entry: Entry, attribute: string): Buffer | undefined {
  const raw = lookup(entry, attribute);
  const value = Array.isArray(raw) ? raw[0] : raw;
  if (value === undefined) return undefined;
  return Buffer.isBuffer(value) ? value : Buffer.from(value, "binary");
}

function lookup(entry: Entry, attribute: string): Entry[string] | undefined {
  if (attribute in entry) return entry[attribute];
  const wanted = attribute.toLowerCase();
  const key = Object.keys(entry).find((name) => name.toLowerCase() === wanted);
  return key === undefined ? undefined : entry[key];
}

/** AD's objectGUID bytes as the usual GUID text: the first three fields are little-endian. */
export function guidToString(bytes: Buffer): string {
  if (bytes.length !== 16) throw new Error(`objectGUID has ${bytes.length} bytes, not 16`);
  const hex = (start: number, end: number, reverse: boolean) => {
    const part = Buffer.from(bytes.subarray(start, end));
    return (reverse ? part.reverse() : part).toString("hex");
  };
  return `${hex(0, 4, true)}-${hex(4, 6, true)}-${hex(6, 8, true)}-${hex(8, 10, false)}-${hex(10, 16, false)}`;
}

/** The inverse: the 16 bytes of a GUID's text; null for anything that is not one. */
export function guidToBytes(guid: string): Buffer | null {
  const match = /^([0-9a-f]{8})-([0-9a-f]{4})-([0-9a-f]{4})-([0-9a-f]{4})-([0-9a-f]{12})$/i.exec(guid);
  if (!match) return null;
  const le = (hex: string) => Buffer.from(hex, "hex").reverse();
  return Buffer.concat([le(match[1]!), le(match[2]!), le(match[3]!), Buffer.from(match[4]! + match[5]!, "hex")]);
}

/** The value of the first RDN (`cn=Staff,ou=groups,…` → `Staff`), for groups that lack a readable cn. */
export function rdnValue(dn: string): string {
  const head = /^[^=]+=((?:\\.|[^,\\])*)/.exec(dn)?.[1] ?? dn;
  return head.replace(/\\(.)/g, "$1");
}

/**
 * DN comparison key: case and spaces around separators do not make two DNs different. An escaped
 * character is part of a value, spaces beside it included (`cn=Smith\, John` is not `cn=Smith\,John`).
 */
export const dnKey = (dn: string) => dn.replace(/(\\.)|\s*([,=+])\s*/g, (_, escaped: string | undefined, separator: string) => escaped ?? separator).toLowerCase();
