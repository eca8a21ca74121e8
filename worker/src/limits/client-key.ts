/*
 * The key a per-client limit counts under, from the address Cloudflare gives (cf-connecting-ip).
 * An IPv4 client is its address. An IPv6 client is its /64: one subscriber line or host usually gets a
 * whole /64 (RFC 6177, SLAAC), so keying on the full address would give an attacker 2^64 fresh
 * buckets. An IPv4-mapped address (::ffff:a.b.c.d) is the IPv4 client it names. A request without a
 * usable address (no header, or one that does not parse) is not exempt: all of them share one key.
 */

/** The one key of every request whose client address is missing or unparseable. */
export const NO_CLIENT_ADDRESS = "no-address";

const IPV4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/;
const HEXTET = /^[0-9a-f]{1,4}$/;

function ipv4Octets(text: string): number[] | null {
  const m = IPV4.exec(text);
  if (!m) return null;
  const octets = m.slice(1).map(Number);
  return octets.every((o) => o <= 255) ? octets : null;
}

/** "a:b:c" (the last group may be dotted IPv4) as 16-bit numbers, or null. */
function groups(text: string): number[] | null {
  if (text === "") return [];
  const parts = text.split(":");
  const out: number[] = [];
  for (const [i, part] of parts.entries()) {
    const v4 = i === parts.length - 1 && part.includes(".") ? ipv4Octets(part) : null;
    if (v4) out.push((v4[0]! << 8) | v4[1]!, (v4[2]! << 8) | v4[3]!);
    else if (HEXTET.test(part)) out.push(parseInt(part, 16));
    else return null;
  }
  return out;
}

/** The eight 16-bit groups of an IPv6 address (full, compressed or mixed form; zone id dropped), or null. */
function ipv6Groups(address: string): number[] | null {
  const text = address.toLowerCase().replace(/%[^%]*$/, "");
  const halves = text.split("::");
  if (halves.length > 2) return null;
  const head = groups(halves[0]!);
  if (halves.length === 1) return head && head.length === 8 ? head : null;
  const tail = groups(halves[1]!);
  if (!head || !tail || head.length + tail.length > 7) return null;
  return [...head, ...Array<number>(8 - head.length - tail.length).fill(0), ...tail];
}

export function clientKey(ip: string | null | undefined): string {
  const address = (ip ?? "").trim();
  const v4 = ipv4Octets(address);
  if (v4) return v4.join(".");
  const v6 = address.includes(":") ? ipv6Groups(address) : null;
  if (!v6) return NO_CLIENT_ADDRESS;
  if (v6.slice(0, 5).every((g) => g === 0) && v6[5] === 0xffff) {
    return [v6[6]! >> 8, v6[6]! & 0xff, v6[7]! >> 8, v6[7]! & 0xff].join(".");
  }
  return `${v6.slice(0, 4).map((g) => g.toString(16)).join(":")}::/64`;
}
