import { describe, expect, it } from "vitest";
import { clientKey, NO_CLIENT_ADDRESS } from "../../../worker/src/limits/client-key.js";

describe("clientKey: IPv4 on the address, IPv6 on its /64, everything else on one shared key", () => {
  it.each([
    ["IPv4", "198.51.100.7", "198.51.100.7"],
    ["IPv4 with surrounding space", " 198.51.100.7 ", "198.51.100.7"],
    ["IPv4 with leading zeros, read as decimal", "198.051.100.007", "198.51.100.7"],
    ["IPv4 edges", "0.0.0.0", "0.0.0.0"],
    ["IPv4 broadcast", "255.255.255.255", "255.255.255.255"],
    ["IPv6 full form", "2001:0db8:0000:0001:1111:2222:3333:4444", "2001:db8:0:1::/64"],
    ["IPv6 compressed", "2001:db8:0:1::5", "2001:db8:0:1::/64"],
    ["IPv6 compressed inside the prefix", "2001:db8::1:2:3", "2001:db8:0:0::/64"],
    ["IPv6 upper case", "2001:DB8:0:1:AAAA:BBBB:CCCC:DDDD", "2001:db8:0:1::/64"],
    ["IPv6 loopback", "::1", "0:0:0:0::/64"],
    ["IPv6 unspecified", "::", "0:0:0:0::/64"],
    ["IPv6 prefix only", "2001:db8:0:1::", "2001:db8:0:1::/64"],
    ["IPv6 with a zone id", "fe80::1%eth0", "fe80:0:0:0::/64"],
    ["IPv6 mixed form (not mapped)", "64:ff9b::192.0.2.33", "64:ff9b:0:0::/64"],
    ["IPv6 full form ending in IPv4", "2001:db8:0:1:0:0:192.0.2.1", "2001:db8:0:1::/64"],
    ["IPv4-mapped, dotted", "::ffff:1.2.3.4", "1.2.3.4"],
    ["IPv4-mapped, upper case", "::FFFF:1.2.3.4", "1.2.3.4"],
    ["IPv4-mapped, hex", "::ffff:0102:0304", "1.2.3.4"],
    ["IPv4-mapped, full form", "0:0:0:0:0:ffff:1.2.3.4", "1.2.3.4"],
  ])("%s: %s → %s", (_, ip, key) => {
    expect(clientKey(ip)).toBe(key);
  });

  it("puts two addresses of one /64 on one key and neighbouring /64s on two", () => {
    expect(clientKey("2001:db8:aa:bb:1::1")).toBe(clientKey("2001:db8:aa:bb:ffff:ffff:ffff:fffe"));
    expect(clientKey("2001:db8:aa:bb::1")).not.toBe(clientKey("2001:db8:aa:bc::1"));
    expect(clientKey("198.51.100.1")).not.toBe(clientKey("198.51.100.2"));
  });

  it.each([
    ["missing", null],
    ["undefined", undefined],
    ["empty", ""],
    ["blank", "   "],
    ["a name", "localhost"],
    ["IPv4 octet too large", "256.1.1.1"],
    ["IPv4 with three parts", "1.2.3"],
    ["IPv4 with five parts", "1.2.3.4.5"],
    ["IPv4 with a port", "1.2.3.4:80"],
    ["IPv6 with two ::", "2001::db8::1"],
    ["IPv6 with nine groups", "1:2:3:4:5:6:7:8:9"],
    ["IPv6 with seven groups and no ::", "1:2:3:4:5:6:7"],
    ["IPv6 with :: and eight groups", "1:2:3:4::5:6:7:8"],
    ["IPv6 group too long", "2001:db8:00001::1"],
    ["IPv6 non-hex", "2001:db8:g::1"],
    ["IPv6 in brackets", "[2001:db8::1]"],
    ["IPv6 with a bad embedded IPv4", "::ffff:1.2.3.256"],
    ["IPv6 with IPv4 not at the end", "::1.2.3.4:1"],
    ["a list of addresses", "198.51.100.1, 198.51.100.2"],
    ["a single colon", ":"],
    ["a triple colon", ":::"],
  ])("%s → the shared key", (_, ip) => {
    expect(clientKey(ip as string | null | undefined)).toBe(NO_CLIENT_ADDRESS);
  });
});
