import { env } from "cloudflare:workers";
import { afterEach, describe, expect, it } from "vitest";
import { drizzle } from "drizzle-orm/d1";
import type { Db } from "../../worker/src/context.js";
import { signIn as signInFlow } from "../../worker/src/flows/sign-in.js";
import { RequestTiming } from "../../worker/src/timing.js";
import { call, seedAndSignIn, seedUser, setClock, uniqueName } from "./helpers.js";

/*
 * Smart lockout under concurrent requests (spec §6): the attempt is counted before its password is
 * checked, so however many requests arrive at once, at most `lockout.signInThreshold` (10) passwords
 * are checked per lock period for one username, on sign-in and on POST /v1/me/password alike.
 */

const THRESHOLD = 10;
const BURST = 30;
const NEW_PASSWORD = "Quiet-Lantern-Orbit-Meadow-9183";

const signInAs = (username: string, password: string) => call("POST", "/v1/sessions", { body: { username, password } });
const changePassword = (token: string, currentPassword: string) =>
  call("POST", "/v1/me/password", { token, body: { currentPassword, newPassword: NEW_PASSWORD } });

const lockoutOf = (username: string) =>
  env.DB.prepare("select failures, lock_count, locked_until from sign_in_lockouts where username = ?")
    .bind(username)
    .first<{ failures: number; lock_count: number; locked_until: number }>();
const sessionsOf = async (userId: string) =>
  (await env.DB.prepare("select count(*) as n from sessions where user_id = ?").bind(userId).first<{ n: number }>())!.n;
const passwordHashOf = async (id: string) =>
  (await env.DB.prepare("select password_hash from users where id = ?").bind(id).first<{ password_hash: string }>())!.password_hash;
const lockAudits = async (username: string) =>
  (await env.DB.prepare("select count(*) as n from audit_events where type = 'session.locked' and json_extract(detail, '$.username') = ?").bind(username).first<{ n: number }>())!.n;

const roundTrips = (res: Response) => Number(/d1;desc="(\d+) round trips"/.exec(res.headers.get("server-timing") ?? "")?.[1]);
const countBy = (statuses: number[]) => statuses.reduce<Record<number, number>>((acc, s) => ({ ...acc, [s]: (acc[s] ?? 0) + 1 }), {});

/** Every answer of a burst, read once: status, body, Retry-After, round trips, whether a KDF ran. */
async function settle(responses: Promise<Response>[]) {
  return Promise.all(
    (await Promise.all(responses)).map(async (res) => ({
      status: res.status,
      body: await res.text(),
      retryAfter: res.headers.get("retry-after"),
      trips: roundTrips(res),
      kdf: /(^|, )kdf;/.test(res.headers.get("server-timing") ?? ""),
    })),
  );
}

/**
 * The worker's database handle for a flow run in the test, with `between` run right after the flow's
 * first batch: what other requests do while this one checks its password.
 */
function betweenBatches(between: () => Promise<void>) {
  let first = true;
  const d1 = {
    prepare: (query: string) => env.DB.prepare(query),
    batch: async (statements: D1PreparedStatement[]) => {
      const results = await env.DB.batch(statements);
      if (first) {
        first = false;
        await between();
      }
      return results;
    },
    exec: (query: string) => env.DB.exec(query),
    dump: () => env.DB.dump(),
  } as unknown as D1Database;
  return drizzle(d1) as Db;
}

const wrongGuesses = (n: number, stem = "burst-guess") => Array.from({ length: n }, (_, i) => `${stem}-${i}`);

afterEach(async () => {
  await setClock(0);
});

describe("POST /v1/sessions: a burst of guesses for one username", () => {
  it("checks at most `threshold` passwords when 29 wrong ones and the right one (last) arrive at once, and locks", async () => {
    const user = await seedUser();
    const answers = await settle([...wrongGuesses(BURST - 1).map((p) => signInAs(user.username, p)), signInAs(user.username, user.password)]);
    const byStatus = countBy(answers.map((a) => a.status));
    const evaluated = (byStatus[401] ?? 0) + (byStatus[201] ?? 0);
    expect(evaluated).toBe(THRESHOLD);
    expect(byStatus[429]).toBe(BURST - THRESHOLD);
    expect(answers.at(-1)!.status).toBe(429);
    expect(await sessionsOf(user.id)).toBe(0);
    // Refused ones were not checked (no KDF) and cost one round trip; checked ones two.
    for (const a of answers) {
      expect(a.kdf).toBe(a.status !== 429);
      expect(a.trips).toBe(a.status === 429 ? 1 : 2);
      if (a.status === 429) {
        expect(JSON.parse(a.body).error.code).toBe("rate_limited");
        expect(Number(a.retryAfter)).toBeGreaterThan(55);
        expect(Number(a.retryAfter)).toBeLessThanOrEqual(60);
      }
    }
    const row = await lockoutOf(user.username);
    expect(row!.lock_count).toBe(1);
    expect(row!.locked_until).toBeGreaterThan(Date.now() + 55_000);
    expect(await lockAudits(user.username)).toBe(1);
    // The audit row gives the lock's end as the contract's times are: ISO 8601 UTC, to the millisecond.
    const detail = await env.DB.prepare("select detail from audit_events where type = 'session.locked' and json_extract(detail, '$.username') = ?").bind(user.username).first<{ detail: string }>();
    expect(JSON.parse(detail!.detail).lockedUntil).toBe(new Date(row!.locked_until).toISOString());
    // Locked: even the right password is refused now, unchecked.
    const after = await signInAs(user.username, user.password);
    expect(after.status).toBe(429);
    expect(await sessionsOf(user.id)).toBe(0);
  });

  it("with the right password at a random place: a session only if it was checked, at most `threshold` checks unless it was, and locked afterwards", async () => {
    for (let round = 0; round < 8; round++) {
      const user = await seedUser();
      const passwords = wrongGuesses(BURST - 1, `random-${round}`);
      const at = Math.floor(Math.random() * BURST);
      passwords.splice(at, 0, user.password);
      const answers = await settle(passwords.map((p) => signInAs(user.username, p)));
      const byStatus = countBy(answers.map((a) => a.status));
      expect(answers.filter((a, i) => a.status === 201 && i !== at)).toEqual([]);
      expect((byStatus[401] ?? 0) + (byStatus[201] ?? 0) + (byStatus[429] ?? 0)).toBe(BURST);
      if (answers[at]!.status === 201) {
        // A checked right password restarts the count (documented semantics): guesses that arrive after
        // its success is written get a new period, so up to `threshold - 1` more wrong ones are checked.
        expect(await sessionsOf(user.id)).toBe(1);
        expect(byStatus[401] ?? 0).toBeLessThanOrEqual(2 * THRESHOLD - 1);
      } else {
        expect(answers[at]!.status).toBe(429);
        expect(await sessionsOf(user.id)).toBe(0);
        expect(byStatus[401]).toBe(THRESHOLD);
      }
      // Whether or not the right one was among the checked ones, the name is locked afterwards.
      expect((await lockoutOf(user.username))!.locked_until).toBeGreaterThan(Date.now());
      expect((await signInAs(user.username, user.password)).status).toBe(429);
    }
  });

  it("treats an unknown username exactly like a known one: same statuses, bodies, headers, round trips and KDF work", async () => {
    const known = await seedUser();
    const ghost = uniqueName("ghost");
    const guesses = wrongGuesses(BURST);
    const [knownAnswers, ghostAnswers] = await Promise.all([
      settle(guesses.map((p) => signInAs(known.username, p))),
      settle(guesses.map((p) => signInAs(ghost, p))),
    ]);
    for (const answers of [knownAnswers, ghostAnswers]) {
      expect(countBy(answers.map((a) => a.status))).toEqual({ 401: THRESHOLD, 429: BURST - THRESHOLD });
    }
    const shape = (a: (typeof knownAnswers)[number]) => ({ status: a.status, body: a.body, trips: a.trips, kdf: a.kdf, retryAfter: a.retryAfter !== null });
    const sorted = (answers: typeof knownAnswers) => answers.map(shape).sort((x, y) => x.status - y.status);
    expect(sorted(ghostAnswers)).toEqual(sorted(knownAnswers));
    const retry = (answers: typeof knownAnswers) => answers.filter((a) => a.status === 429).map((a) => Number(a.retryAfter));
    for (const r of [...retry(knownAnswers), ...retry(ghostAnswers)]) {
      expect(r).toBeGreaterThan(55);
      expect(r).toBeLessThanOrEqual(60);
    }
    const [k, g] = [await lockoutOf(known.username), await lockoutOf(ghost)];
    expect(g).toMatchObject({ failures: k!.failures, lock_count: 1 });
    expect(k!.lock_count).toBe(1);
    expect(await lockAudits(ghost)).toBe(1);
  });

  it("admits `threshold` checks again after the lock, and the next lock doubles", async () => {
    const user = await seedUser();
    const first = await settle(wrongGuesses(BURST, "period-1").map((p) => signInAs(user.username, p)));
    expect(countBy(first.map((a) => a.status))).toEqual({ 401: THRESHOLD, 429: BURST - THRESHOLD });
    await setClock(61);
    const second = await settle(wrongGuesses(BURST, "period-2").map((p) => signInAs(user.username, p)));
    expect(countBy(second.map((a) => a.status))).toEqual({ 401: THRESHOLD, 429: BURST - THRESHOLD });
    for (const a of second.filter((x) => x.status === 429)) expect(Number(a.retryAfter)).toBeGreaterThan(115);
    expect((await lockoutOf(user.username))!.lock_count).toBe(2);
  });

  it("locks at the next attempt when the count is full but no lock was written (a request died while checking)", async () => {
    const user = await seedUser();
    await env.DB.prepare("insert into sign_in_lockouts (username, failures, lock_count, locked_until, recent_wrong, updated_at) values (?, ?, 0, 0, '[]', ?)")
      .bind(user.username, THRESHOLD, Date.now() - 3600_000)
      .run();
    const res = await signInAs(user.username, user.password);
    expect(res.status).toBe(429);
    expect(Number(res.headers.get("retry-after"))).toBe(60);
    expect(await lockoutOf(user.username)).toMatchObject({ failures: 0, lock_count: 1 });
    expect(await lockAudits(user.username)).toBe(1);
    await setClock(61);
    expect((await signInAs(user.username, user.password)).status).toBe(201);
  });

  it("lets a checked right password sign in, but a lock set meanwhile by other guesses stays", async () => {
    const user = await seedUser();
    await env.DB.prepare("insert into sign_in_lockouts (username, failures, lock_count, locked_until, recent_wrong, updated_at) values (?, ?, 0, 0, '[]', ?)")
      .bind(user.username, THRESHOLD - 1, Date.now())
      .run();
    // The right password takes the last place of the period; while it is being checked, more guesses arrive.
    let behind: Awaited<ReturnType<typeof settle>> = [];
    const db = betweenBatches(async () => {
      behind = await settle(wrongGuesses(5, "behind").map((p) => signInAs(user.username, p)));
    });
    const session = await signInFlow({ env, db, now: Date.now(), ip: null, timing: new RequestTiming(), username: user.username, password: user.password });
    expect(session.token).toBeTruthy();
    expect(behind.map((a) => a.status)).toEqual([429, 429, 429, 429, 429]);
    expect(await sessionsOf(user.id)).toBe(1);
    // The success did not clear the lock the guesses behind it set.
    expect(await lockoutOf(user.username)).toMatchObject({ failures: 0, lock_count: 1 });
    expect((await lockoutOf(user.username))!.locked_until).toBeGreaterThan(Date.now());
    expect((await signInAs(user.username, user.password)).status).toBe(429);
  });

  it("a wrong password checked while other guesses locked the name neither locks again nor clears", async () => {
    const user = await seedUser();
    await env.DB.prepare("insert into sign_in_lockouts (username, failures, lock_count, locked_until, recent_wrong, updated_at) values (?, ?, 0, 0, '[]', ?)")
      .bind(user.username, THRESHOLD - 1, Date.now())
      .run();
    const db = betweenBatches(async () => {
      expect((await signInAs(user.username, "the-one-behind")).status).toBe(429);
    });
    await expect(
      signInFlow({ env, db, now: Date.now(), ip: null, timing: new RequestTiming(), username: user.username, password: "the-last-place" }),
    ).rejects.toMatchObject({ status: 401, code: "invalid_credentials" });
    expect(await lockoutOf(user.username)).toMatchObject({ failures: 0, lock_count: 1 });
    expect(await lockAudits(user.username)).toBe(1);
  });

  it("does not count a repeat of a recent wrong password even at the last place of a period", async () => {
    const user = await seedUser();
    for (let i = 0; i < THRESHOLD - 1; i++) expect((await signInAs(user.username, `seq-${i}`)).status).toBe(401);
    // Repeats are checked (a wrong password, known to be wrong) but never fill the period.
    const repeats = await settle(Array.from({ length: 5 }, () => signInAs(user.username, `seq-${THRESHOLD - 2}`)));
    expect(repeats.map((a) => a.status)).toEqual([401, 401, 401, 401, 401]);
    expect((await lockoutOf(user.username))!.failures).toBe(THRESHOLD - 1);
    expect((await signInAs(user.username, user.password)).status).toBe(201);
    expect(await lockoutOf(user.username)).toBeNull();
  });
});

describe("POST /v1/me/password: a burst of current-password guesses on one session", () => {
  it("checks at most `threshold` current passwords, locks the account and changes nothing", async () => {
    const user = await seedAndSignIn();
    const hashBefore = await passwordHashOf(user.id);
    const guesses = wrongGuesses(BURST - 1, "current");
    guesses.push(user.password);
    const answers = await settle(guesses.map((p) => changePassword(user.token, p)));
    const byStatus = countBy(answers.map((a) => a.status));
    expect((byStatus[400] ?? 0) + (byStatus[204] ?? 0)).toBe(THRESHOLD);
    expect(byStatus[429]).toBe(BURST - THRESHOLD);
    expect(answers.at(-1)!.status).toBe(429);
    for (const a of answers) {
      expect(a.trips).toBeLessThanOrEqual(2);
      expect(a.kdf).toBe(a.status !== 429);
    }
    expect(await passwordHashOf(user.id)).toBe(hashBefore);
    expect((await lockoutOf(user.username))!.lock_count).toBe(1);
    expect((await signInAs(user.username, user.password)).status).toBe(429);
    expect((await changePassword(user.token, user.password)).status).toBe(429);
  });

  it("shares the period with sign-in: a mixed burst checks at most `threshold` passwords in all", async () => {
    const user = await seedAndSignIn();
    const answers = await settle(
      wrongGuesses(BURST, "mixed").map((p, i) => (i % 2 ? changePassword(user.token, p) : signInAs(user.username, p))),
    );
    const byStatus = countBy(answers.map((a) => a.status));
    expect((byStatus[400] ?? 0) + (byStatus[401] ?? 0)).toBe(THRESHOLD);
    expect(byStatus[429]).toBe(BURST - THRESHOLD);
  });

  it("gives a right current password back to the count, also when the new password is refused", async () => {
    const user = await seedAndSignIn();
    for (let i = 0; i < THRESHOLD - 1; i++) expect((await signInAs(user.username, `before-${i}`)).status).toBe(401);
    const refused = await call("POST", "/v1/me/password", { token: user.token, body: { currentPassword: user.password, newPassword: "short" } });
    expect(refused.status).toBe(422);
    expect(roundTrips(refused)).toBeLessThanOrEqual(2);
    expect((await lockoutOf(user.username))!.failures).toBe(THRESHOLD - 1);
    const changed = await changePassword(user.token, user.password);
    expect(changed.status).toBe(204);
    expect((await lockoutOf(user.username))!.failures).toBe(THRESHOLD - 1);
    // A repeat of a recent wrong password is given back too.
    expect((await changePassword(user.token, `before-${THRESHOLD - 2}`)).status).toBe(400);
    expect((await lockoutOf(user.username))!.failures).toBe(THRESHOLD - 1);
    expect((await signInAs(user.username, NEW_PASSWORD)).status).toBe(201);
  });

  it("counts nothing for an expired session", async () => {
    const user = await seedAndSignIn();
    await env.DB.prepare("update sessions set expires_at = ? where user_id = ?").bind(Date.now() - 1000, user.id).run();
    expect((await changePassword(user.token, "a-wrong-one")).status).toBe(401);
    expect(await lockoutOf(user.username)).toBeNull();
  });
});
