import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { call, callJson, latestCode, seedMethod, uniqueName } from "./helpers.js";
import { challenge, registeredUser, startReset, userWithApp, verify } from "./reset-client.js";

/**
 * Issue 13, item 2: a reset's start, an email or SMS challenge, a code's verification and an app's
 * challenge each take one D1 round trip (the decision and the write in one batch), whether they
 * succeed or are refused. Spec §9: refused and accepted starts cost the same.
 */
const roundTrips = (res: Response) => res.headers.get("server-timing")?.match(/d1;desc="(\d+) round trips"/)?.[1];
const blockUser = (id: string) => env.DB.prepare("update users set reset_blocked_until = ? where id = ?").bind(Date.now() + 3_600_000, id).run();

describe("one D1 round trip per reset request", () => {
  it("POST /v1/resets: started, unknown, refused by the limit, blocked", async () => {
    const u = await registeredUser();
    const started = await callJson("POST", "/v1/resets", { body: { username: u.username } });
    expect(started.status).toBe(201);
    expect(roundTrips(started.res)).toBe("1");
    const ghost = uniqueName("ghost");
    const unknown = await callJson("POST", "/v1/resets", { body: { username: ghost } });
    expect(unknown.status).toBe(200);
    expect(roundTrips(unknown.res)).toBe("1");
    for (let i = 0; i < 4; i++) await call("POST", "/v1/resets", { body: { username: ghost } });
    const limited = await call("POST", "/v1/resets", { body: { username: ghost } });
    expect(limited.status).toBe(429);
    expect(roundTrips(limited)).toBe("1");
    await blockUser(u.id);
    const blocked = await call("POST", "/v1/resets", { body: { username: u.username } });
    expect(blocked.status).toBe(429);
    expect(roundTrips(blocked)).toBe("1");
  });

  it("challenges: an email code, an SMS code, an app, and a resend within the cooldown", async () => {
    const u = await userWithApp();
    const sms = await seedMethod(u.id, { type: "sms", target: "+447700900" + String(Math.floor(Math.random() * 900) + 100) });
    const reset = await startReset(u.username);
    const email = await challenge(reset, u.email.id);
    expect(email.status).toBe(202);
    expect(roundTrips(email.res)).toBe("1");
    const resend = await challenge(reset, u.email.id);
    expect(resend.status).toBe(429);
    expect(roundTrips(resend.res)).toBe("1");
    const text = await challenge(reset, sms);
    expect(text.status).toBe(202);
    expect(roundTrips(text.res)).toBe("1");
    const app = await challenge(reset, u.totp.id);
    expect(app.status).toBe(202);
    expect(roundTrips(app.res)).toBe("1");
  });

  it("verify: a wrong code, the right code, and a blocked user", async () => {
    const u = await registeredUser();
    const reset = await startReset(u.username);
    await challenge(reset, u.email.id);
    const code = await latestCode(u.email.email);
    const wrong = await verify(reset, { methodId: u.email.id, code: code === "00000000" ? "11111111" : "00000000" });
    expect(wrong.status).toBe(400);
    expect(wrong.body.error.code).toBe("invalid_code");
    expect(roundTrips(wrong.res)).toBe("1");
    const right = await verify(reset, { methodId: u.email.id, code });
    expect(right.status).toBe(200);
    expect(right.body.verifiedMethodIds).toEqual([u.email.id]);
    expect(roundTrips(right.res)).toBe("1");

    const other = await registeredUser();
    const second = await startReset(other.username);
    await challenge(second, other.email.id);
    await blockUser(other.id);
    const blocked = await verify(second, { methodId: other.email.id, code: await latestCode(other.email.email) });
    expect(blocked.status).toBe(429);
    expect(blocked.body.error.code).toBe("reset_blocked");
    expect(roundTrips(blocked.res)).toBe("1");
  });
});
