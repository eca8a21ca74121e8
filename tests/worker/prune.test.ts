import { createExecutionContext, createScheduledController, waitOnExecutionContext } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { afterEach, describe, expect, it } from "vitest";
import worker from "../../worker/src/index.js";
import { callJson, setClock, signIn, uniqueName } from "./helpers.js";
import { challenge, registeredUser, startReset } from "./reset-client.js";

const DAY_S = 86_400;

/** The daily cron, run as Cloudflare runs it, at a given time. */
async function runCron(scheduledTime: number) {
  const ctx = createExecutionContext();
  await worker.scheduled!(createScheduledController({ scheduledTime, cron: "17 3 * * *" }), env, ctx);
  await waitOnExecutionContext(ctx);
}

const count = async (sql: string, ...params: unknown[]) => (await env.DB.prepare(`select count(*) as n from ${sql}`).bind(...params).first<{ n: number }>())!.n;
const lockoutOf = (username: string) => env.DB.prepare("select failures, lock_count from sign_in_lockouts where username = ?").bind(username).first<{ failures: number; lock_count: number }>();

const wrongSignIn = (username: string, password = "not-the-password-1") => callJson("POST", "/v1/sessions", { body: { username, password } });

/** A username that has no account, tried the way a flood of made-up names would be. */
async function madeUpNameTried() {
  const name = uniqueName("ghost");
  expect((await wrongSignIn(name)).status).toBe(401);
  expect((await callJson("POST", "/v1/resets", { body: { username: name } })).status).toBe(200);
  return name;
}

/** What one reset leaves behind: the reset row and the code sent for it. */
async function resetWithCode(user: Awaited<ReturnType<typeof registeredUser>>) {
  const reset = await startReset(user.username);
  expect((await challenge(reset, user.email.id)).status).toBe(202);
  return reset.resetId as string;
}

describe("the daily cron prunes expired rows", () => {
  afterEach(() => setClock(0));

  it("deletes expired sessions, resets, codes, counters and idle lockout rows, and keeps live ones", async () => {
    // Day 0: rows that will have expired two days later.
    const user = await registeredUser();
    const ghost = await madeUpNameTried();
    const oldReset = await resetWithCode(user);
    // A name locked once (10 different wrong passwords): its lock history must survive the prune.
    const locked = uniqueName("locked");
    for (let i = 0; i < 10; i++) await wrongSignIn(locked, `wrong-password-${i}`);
    expect((await wrongSignIn(locked)).status).toBe(429);
    expect(await lockoutOf(locked)).toMatchObject({ lock_count: 1 });
    expect(await count("sessions where user_id = ?", user.id)).toBe(1);

    // Day 2: the same kinds of rows, live.
    await setClock(2 * DAY_S);
    await signIn(user.username, user.password);
    const liveGhost = await madeUpNameTried();
    const liveReset = await resetWithCode(user);
    await runCron(Date.now() + 2 * DAY_S * 1000 + 60_000);

    // The day-0 session (8 h) is gone, the day-2 one stays.
    expect(await count("sessions where user_id = ?", user.id)).toBe(1);
    expect(await count("sessions where user_id = ? and expires_at > ?", user.id, Date.now() + 2 * DAY_S * 1000)).toBe(1);
    // The day-0 reset (15 min, plus a day's grace) and its code (10 min) are gone; the day-2 ones stay.
    expect(await count("resets where id = ?", oldReset)).toBe(0);
    expect(await count("verification_codes where flow = ?", oldReset)).toBe(0);
    expect(await count("resets where id = ?", liveReset)).toBe(1);
    expect(await count("verification_codes where flow = ?", liveReset)).toBe(1);
    // Counters whose window ended are gone; the current window's stay.
    expect(await count("rate_counters where key = ?", `reset-start:user:${ghost}`)).toBe(0);
    expect(await count("rate_counters where key = ?", `reset-start:user:${liveGhost}`)).toBe(1);
    // A made-up name tried once is forgotten after a quiet day; one tried today is not.
    expect(await lockoutOf(ghost)).toBeNull();
    expect(await lockoutOf(liveGhost)).toMatchObject({ failures: 1, lock_count: 0 });
    // A name with a lock behind it keeps its row (the doubling and any cap count on it).
    expect(await lockoutOf(locked)).toMatchObject({ lock_count: 1 });
  });

  it("keeps a lockout row that is locked right now", async () => {
    const name = uniqueName("locked-now");
    for (let i = 0; i < 10; i++) await wrongSignIn(name, `wrong-password-${i}`);
    // Whatever its lock count, a row whose lock has not run out is never pruned.
    await env.DB.prepare("update sign_in_lockouts set lock_count = 0, locked_until = ?, updated_at = ? where username = ?")
      .bind(Date.now() + 3 * DAY_S * 1000, Date.now() - 3 * DAY_S * 1000, name)
      .run();
    await runCron(Date.now() + 60_000);
    expect(await count("sign_in_lockouts where username = ?", name)).toBe(1);
  });

  it("forgets a lock history after 30 quiet days, but never a hard lock", async () => {
    const [old, hard, recent] = [uniqueName("once-locked"), uniqueName("hard-locked"), uniqueName("locked-lately")];
    for (const name of [old, hard, recent]) {
      for (let i = 0; i < 10; i++) await wrongSignIn(name, `wrong-password-${i}`);
    }
    const monthAgo = Date.now() - 31 * DAY_S * 1000;
    // A made-up name locked once and then left: no right password will ever clear it.
    await env.DB.prepare("update sign_in_lockouts set locked_until = ?, updated_at = ? where username = ?").bind(monthAgo, monthAgo, old).run();
    await env.DB.prepare("update sign_in_lockouts set locked_until = 253402300799999, updated_at = ? where username = ?").bind(monthAgo, hard).run();
    await env.DB.prepare("update sign_in_lockouts set locked_until = ?, updated_at = ? where username = ?").bind(Date.now() - 2 * DAY_S * 1000, Date.now() - 2 * DAY_S * 1000, recent).run();
    for (const name of [old, hard, recent]) expect((await lockoutOf(name))?.lock_count).toBeGreaterThan(0);

    await runCron(Date.now() + 60_000);
    expect(await count("sign_in_lockouts where username = ?", old)).toBe(0);
    expect(await count("sign_in_lockouts where username = ?", hard)).toBe(1);
    expect(await count("sign_in_lockouts where username = ?", recent)).toBe(1);
  });

  it("deletes directory syncs older than 30 days with their name claims, but never the last finished one", async () => {
    const now = Date.now();
    const day = DAY_S * 1000;
    const sync = (id: string, startedAt: number, finishedAt: number | null) =>
      env.DB.prepare("insert into directory_syncs (id, agent_id, started_at, finished_at, errors) values (?, 'agt_prune', ?, ?, '[]')").bind(id, startedAt, finishedAt).run();
    await sync("sync-old", now - 40 * day, now - 40 * day);
    await sync("sync-last", now - 35 * day, now - 35 * day);
    await sync("sync-abandoned", now - 40 * day, null);
    await env.DB.prepare("insert into directory_name_claims (sync_id, username, holder_id) values ('sync-abandoned', 'someone@example.test', 'usr_x')").run();
    await runCron(now);
    expect((await env.DB.prepare("select id from directory_syncs order by id").all<{ id: string }>()).results.map((r) => r.id)).toEqual(["sync-last"]);
    expect(await count("directory_name_claims")).toBe(0);
    // A newer finished sync: the 35-day-old one is history now.
    await sync("sync-new", now - day, now - day);
    await runCron(now);
    expect((await env.DB.prepare("select id from directory_syncs order by id").all<{ id: string }>()).results.map((r) => r.id)).toEqual(["sync-new"]);
  });
});
