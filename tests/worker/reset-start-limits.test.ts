import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { call, registerEmail, seedAndSignIn, uniqueName } from "./helpers.js";

/**
 * Spec §6: 5 starts per username per hour and 30 per client per 10 minutes, known or unknown names
 * alike; a client is an IPv4 address or an IPv6 /64, and requests without an address are one client.
 */
// Bursts of 40 requests: allow for a busy machine.
describe("reset start limits under concurrency", { timeout: 30_000 }, () => {
  const burst = (n: number, username: () => string, ip: string | null) =>
    Promise.all(Array.from({ length: n }, () => call("POST", "/v1/resets", { body: { username: username() }, clientIp: ip }).then((r) => r.status)));
  const tally = (statuses: number[]) => statuses.reduce<Record<number, number>>((t, s) => ({ ...t, [s]: (t[s] ?? 0) + 1 }), {});

  it("lets exactly 5 of 25 concurrent starts for one name through, known or unknown", async () => {
    const known = await seedAndSignIn();
    await registerEmail(known.token);
    const unknown = uniqueName("ghost");
    expect(tally(await burst(25, () => known.username, "198.51.100.1"))).toEqual({ 201: 5, 429: 20 });
    expect(tally(await burst(25, () => unknown, "198.51.100.2"))).toEqual({ 200: 5, 429: 20 });
    const resets = await env.DB.prepare("select count(*) as n from resets where user_id = ?").bind(known.id).first<{ n: number }>();
    expect(resets!.n).toBe(5);
  });

  it("lets exactly 30 of 40 concurrent starts from one IP through", async () => {
    expect(tally(await burst(40, () => uniqueName("spray"), "198.51.100.3"))).toEqual({ 200: 30, 429: 10 });
  });

  it("counts two addresses of one IPv6 /64 as one client", async () => {
    const both = await Promise.all([burst(20, () => uniqueName("v6a"), "2001:db8:5:6::1"), burst(20, () => uniqueName("v6b"), "2001:db8:5:6:ffff:ffff:ffff:fffe")]);
    expect(tally(both.flat())).toEqual({ 200: 30, 429: 10 });
    // The neighbouring /64 is another client.
    expect(tally(await burst(5, () => uniqueName("v6c"), "2001:db8:5:7::1"))).toEqual({ 200: 5 });
  });

  it("counts an IPv4-mapped IPv6 address as its IPv4 address", async () => {
    const mapped = await Promise.all([burst(20, () => uniqueName("v4a"), "198.51.100.9"), burst(20, () => uniqueName("v4b"), "::ffff:198.51.100.9")]);
    expect(tally(mapped.flat())).toEqual({ 200: 30, 429: 10 });
  });

  it("limits requests without a client address (or with an unreadable one) under one shared key", async () => {
    const both = await Promise.all([burst(20, () => uniqueName("none"), null), burst(20, () => uniqueName("junk"), "not-an-address")]);
    expect(tally(both.flat())).toEqual({ 200: 30, 429: 10 });
    const refused = await call("POST", "/v1/resets", { body: { username: uniqueName("none") }, clientIp: null });
    expect(refused.status).toBe(429);
    expect(Number(refused.headers.get("retry-after"))).toBeGreaterThan(590);
  });
});
