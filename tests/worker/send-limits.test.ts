import { afterEach, describe, expect, it } from "vitest";
import { call, callJson, patchPolicy, reauth, seedAndSignIn, seedMethod, setClock, signIn, uniqueName } from "./helpers.js";
import { challenge, startReset } from "./reset-client.js";

/**
 * Issue 11, item 1: send limits that deleting a method cannot reset. Per user: 10 SMS and 20 code
 * emails a day; per destination (across users): 5 codes an hour. Every test uses its own numbers and
 * addresses, so the file's tests do not share a destination's count.
 */

let phones = 100_000 + Math.floor(Math.random() * 800_000);
/** A UK mobile number (libphonenumber: valid, mobile) that no other test of this file uses. */
const uniquePhone = () => `+447400${phones++}`;

const addSms = (token: string, phone: string) => callJson("POST", "/v1/me/methods", { token, body: { type: "sms", phone } });
const addEmail = (token: string, email: string) => callJson("POST", "/v1/me/methods", { token, body: { type: "email", email } });
const remove = (token: string, id: string) => call("DELETE", `/v1/me/methods/${id}`, { token });
const sentTo = async (to: string) => (await callJson("GET", `/v1/dev/outbox?to=${encodeURIComponent(to)}`)).body.messages.length as number;

/** Adds a method and deletes it again, as an abuser looping for fresh per-method counters would. */
async function addAndDelete(token: string, add: () => Promise<{ status: number; body: any }>) {
  const added = await add();
  if (added.status === 201) expect((await remove(token, added.body.method.id)).status).toBe(204);
  return added;
}

function expectRateLimited(r: { status: number; body: any; res: Response }, minRetryAfter: number) {
  expect(r.status).toBe(429);
  expect(r.body.error.code).toBe("rate_limited");
  expect(Number(r.res.headers.get("retry-after"))).toBeGreaterThan(minRetryAfter);
}

afterEach(async () => {
  await setClock(0);
});

describe("SMS send limits that outlive the method", () => {
  it("sends at most 5 codes an hour to one number, however often it is deleted and added again", async () => {
    const { token } = await seedAndSignIn();
    const phone = uniquePhone();
    for (let i = 0; i < 5; i++) expect((await addAndDelete(token, () => addSms(token, phone))).status).toBe(201);
    const sixth = await addSms(token, phone);
    expectRateLimited(sixth, 3000);
    expect(await sentTo(phone)).toBe(5);
    // The refused add leaves no pending method behind.
    expect((await callJson("GET", "/v1/me/methods", { token })).body.methods).toEqual([]);
  });

  it("sends at most 10 SMS a day per user, to different numbers, still after an hour", async () => {
    const user = await seedAndSignIn();
    const { token } = user;
    for (let i = 0; i < 10; i++) expect((await addAndDelete(token, () => addSms(token, uniquePhone()))).status).toBe(201);
    expectRateLimited(await addSms(token, uniquePhone()), 80_000);
    await setClock(2 * 3600);
    await reauth(token, user.password);
    expectRateLimited(await addSms(token, uniquePhone()), 70_000);
    await setClock(24 * 3600 + 60);
    // The 8-hour session has ended by then.
    const next = await signIn(user.username, user.password);
    expect((await addSms(next, uniquePhone())).status).toBe(201);
  });

  it("shares a number's hourly cap between users", async () => {
    const [a, b] = [await seedAndSignIn(), await seedAndSignIn()];
    const phone = uniquePhone();
    for (let i = 0; i < 3; i++) expect((await addAndDelete(a.token, () => addSms(a.token, phone))).status).toBe(201);
    for (let i = 0; i < 2; i++) expect((await addAndDelete(b.token, () => addSms(b.token, phone))).status).toBe(201);
    expectRateLimited(await addSms(b.token, phone), 3000);
    expectRateLimited(await addSms(a.token, phone), 3000);
    await setClock(3601);
    await reauth(a.token, a.password);
    expect((await addSms(a.token, phone)).status).toBe(201);
  });

  it("never sends more than the cap to one number under concurrent adds", async () => {
    const users = await Promise.all(Array.from({ length: 9 }, () => seedAndSignIn()));
    const phone = uniquePhone();
    const answers = await Promise.all(users.map((u) => addSms(u.token, phone)));
    expect(answers.filter((r) => r.status === 201)).toHaveLength(5);
    for (const r of answers.filter((r) => r.status !== 201)) expectRateLimited(r, 3000);
    expect(await sentTo(phone)).toBe(5);
  });

  it("counts reset challenges against the number's cap and refuses them past it", async () => {
    const owner = await seedAndSignIn();
    const phone = uniquePhone();
    const methodId = await seedMethod(owner.id, { type: "sms", target: phone });
    const reset = await startReset(owner.username);
    expect((await challenge(reset, methodId)).status).toBe(202);
    const other = await seedAndSignIn();
    for (let i = 0; i < 4; i++) expect((await addAndDelete(other.token, () => addSms(other.token, phone))).status).toBe(201);
    await setClock(61);
    expectRateLimited(await challenge(reset, methodId), 3000);
    expect(await sentTo(phone)).toBe(5);
  });

  it("counts a registration resend against the number's cap", async () => {
    const [a, b] = [await seedAndSignIn(), await seedAndSignIn()];
    const phone = uniquePhone();
    const pending = await addSms(a.token, phone);
    for (let i = 0; i < 4; i++) expect((await addAndDelete(b.token, () => addSms(b.token, phone))).status).toBe(201);
    await setClock(61);
    expectRateLimited(await callJson("POST", `/v1/me/methods/${pending.body.method.id}/resend`, { token: a.token }), 3000);
  });
});

describe("email send limits that outlive the method", () => {
  it("sends at most 5 codes an hour to one address across users, whatever its case", async () => {
    const users = await Promise.all(Array.from({ length: 6 }, () => seedAndSignIn()));
    const email = uniqueName("shared");
    for (const [i, u] of users.slice(0, 5).entries()) {
      expect((await addEmail(u.token, i % 2 ? email.toUpperCase() : email)).status).toBe(201);
    }
    expectRateLimited(await addEmail(users[5]!.token, email), 3000);
  });

  it("sends at most 20 code emails a day per user, to different addresses", async () => {
    const { token, password } = await seedAndSignIn();
    for (let i = 0; i < 20; i++) {
      // Past Entra's 10 per 10 minutes, which stays in force beside the daily cap.
      if (i === 10) {
        await setClock(601);
        await reauth(token, password);
      }
      expect((await addAndDelete(token, () => addEmail(token, uniqueName("daily")))).status).toBe(201);
    }
    await setClock(1202);
    await reauth(token, password);
    expectRateLimited(await addEmail(token, uniqueName("daily")), 80_000);
  });
});

describe("reset codes, which anyone who knows a username can ask for", () => {
  it("spend neither the user's daily budget nor their own next reset", async () => {
    const owner = await seedAndSignIn();
    const address = uniqueName("owner");
    const methodId = await seedMethod(owner.id, { type: "email", target: address });
    // A stranger: one reset an hour, five codes in each (the per-method hourly cap), for five hours.
    for (let hour = 0; hour < 5; hour++) {
      await setClock(hour * 3600);
      const reset = await startReset(owner.username);
      for (let i = 0; i < 5; i++) {
        await setClock(hour * 3600 + i * 61);
        expect((await challenge(reset, methodId)).status).toBe(202);
      }
    }
    expect(await sentTo(address)).toBe(25);

    await setClock(5 * 3600);
    const own = await startReset(owner.username);
    expect((await challenge(own, methodId)).status).toBe(202);
    const token = await signIn(owner.username, owner.password);
    expect((await addEmail(token, uniqueName("new"))).status).toBe(201);
  });

  it("go out at most 20 an hour to one client, whoever they are for", async () => {
    const client = { clientIp: "198.51.100.7" };
    const users = await Promise.all(Array.from({ length: 21 }, () => seedAndSignIn()));
    const answers = [];
    for (const user of users) {
      const methodId = await seedMethod(user.id, { type: "email", target: uniqueName("victim") });
      const reset = await callJson("POST", "/v1/resets", { ...client, body: { username: user.username } });
      expect(reset.status).toBe(201);
      answers.push(await callJson("POST", `/v1/resets/${reset.body.resetId}/challenges`, { ...client, token: reset.body.resetToken, body: { methodId } }));
    }
    expect(answers.slice(0, 20).map((r) => r.status)).toEqual(Array(20).fill(202));
    expectRateLimited(answers[20]!, 3000);
    // Another client still reaches the same user.
    const last = users[20]!;
    const reset = await startReset(last.username);
    expect((await challenge(reset, reset.methods[0].id)).status).toBe(202);
  });
});
