import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { call, seedUser, uniqueName } from "./helpers.js";

/*
 * Password spraying: one client trying a few passwords on many usernames never meets the per-name
 * lockout. POST /v1/sessions also counts failed sign-ins per client (an IPv4 address, an IPv6 /64, or
 * the one key of requests without an address): 100 per 10 minutes, across usernames. Counted before
 * the password is checked, so a burst cannot slip past; a right password is given back; an attempt
 * the name's lock refuses is not counted (no password is checked for it).
 */

const CLIENT_MAX = 100;

const roundTrips = (res: Response) => Number(/d1;desc="(\d+) round trips"/.exec(res.headers.get("server-timing") ?? "")?.[1]);
const tally = (statuses: number[]) => statuses.reduce<Record<number, number>>((t, s) => ({ ...t, [s]: (t[s] ?? 0) + 1 }), {});
const lockoutRow = (username: string) => env.DB.prepare("select failures from sign_in_lockouts where username = ?").bind(username).first();

const signInFrom = (clientIp: string | null, username: string, password: string) => call("POST", "/v1/sessions", { body: { username, password }, clientIp });

/** Wrong passwords for fresh unknown names, all at once, from the given clients in turn. */
async function spray(n: number, clients: (string | null)[]) {
  const names = Array.from({ length: n }, () => uniqueName("spray"));
  const answers = await Promise.all(
    names.map(async (name, i) => {
      const res = await signInFrom(clients[i % clients.length]!, name, "Spring2026!");
      return { name, res, status: res.status, body: await res.text() };
    }),
  );
  return answers;
}

describe("the per-client sign-in limit", { timeout: 90_000 }, () => {
  it("lets exactly 100 of 120 concurrent wrong sign-ins from one IPv6 /64 through, across usernames", async () => {
    const answers = await spray(CLIENT_MAX + 20, ["2001:db8:77:1::1", "2001:db8:77:1:8000::2"]);
    expect(tally(answers.map((a) => a.status))).toEqual({ 401: CLIENT_MAX, 429: 20 });
    for (const a of answers.filter((x) => x.status === 429)) {
      expect(JSON.parse(a.body).error.code).toBe("rate_limited");
      const retry = Number(a.res.headers.get("retry-after"));
      expect(retry).toBeGreaterThan(550);
      expect(retry).toBeLessThanOrEqual(600);
      // Refused before anything else: no password checked, one round trip, the name's count untouched.
      expect(a.res.headers.get("server-timing")).not.toMatch(/kdf;/);
      expect(roundTrips(a.res)).toBe(1);
      expect(await lockoutRow(a.name)).toBeNull();
    }
    for (const a of answers.filter((x) => x.status === 401)) expect(await lockoutRow(a.name)).not.toBeNull();
    // Another /64 is another client.
    expect((await signInFrom("2001:db8:77:2::1", uniqueName("other"), "x")).status).toBe(401);
  });

  it("limits requests without a client address (or with an unreadable one) under one shared key", async () => {
    const answers = await spray(CLIENT_MAX + 20, [null, "not-an-address"]);
    expect(tally(answers.map((a) => a.status))).toEqual({ 401: CLIENT_MAX, 429: 20 });
  });

  it("gives a right password back, and refuses even a right password once the client is over", async () => {
    const client = "198.51.100.40";
    const users = await Promise.all(Array.from({ length: 5 }, () => seedUser()));
    expect(tally((await spray(CLIENT_MAX - 1, [client])).map((a) => a.status))).toEqual({ 401: CLIENT_MAX - 1 });
    for (const u of users) expect((await signInFrom(client, u.username, u.password)).status).toBe(201);
    expect((await signInFrom(client, uniqueName("last"), "wrong")).status).toBe(401);
    const over = await signInFrom(client, users[0]!.username, users[0]!.password);
    expect(over.status).toBe(429);
    expect(over.headers.get("server-timing")).not.toMatch(/kdf;/);
    expect((await signInFrom("198.51.100.41", users[0]!.username, users[0]!.password)).status).toBe(201);
  });

  it("does not count attempts that a locked name refuses unchecked", async () => {
    const victim = await seedUser();
    const wrong = await Promise.all(Array.from({ length: 10 }, (_, i) => signInFrom("198.51.100.50", victim.username, `guess-${i}`)));
    expect(wrong.map((r) => r.status)).toEqual(Array(10).fill(401));
    const client = "198.51.100.51";
    const locked = await Promise.all(Array.from({ length: 30 }, () => signInFrom(client, victim.username, victim.password)));
    for (const r of locked) {
      expect(r.status).toBe(429);
      expect(Number(r.headers.get("retry-after"))).toBeLessThanOrEqual(60);
    }
    expect(tally((await spray(CLIENT_MAX + 1, [client])).map((a) => a.status))).toEqual({ 401: CLIENT_MAX, 429: 1 });
  });
});
