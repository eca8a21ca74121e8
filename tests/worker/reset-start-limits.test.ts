import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { call, registerEmail, seedAndSignIn, uniqueName } from "./helpers.js";

/** Spec §6: 5 starts per username per hour and 30 per client IP per 10 minutes, known or unknown names alike. */
describe("reset start limits under concurrency", () => {
  const burst = (n: number, username: () => string, ip: string) =>
    Promise.all(Array.from({ length: n }, () => call("POST", "/v1/resets", { body: { username: username() }, headers: { "cf-connecting-ip": ip } }).then((r) => r.status)));
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
});
