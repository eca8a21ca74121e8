import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { hashPassword, KDF_PROFILES, verifyPassword } from "../../worker/src/crypto/password-hash.js";
import type { Db } from "../../worker/src/context.js";
import { signIn } from "../../worker/src/flows/sign-in.js";
import { RequestTiming } from "../../worker/src/timing.js";
import { seedUser } from "./helpers.js";
import { dbWithHook, directDb } from "./stale-read.js";

/** A hash made under other KDF parameters than this worker's (tests run KDF_PROFILE=test), so a right password rehashes it. */
const OLD_PARAMS = { m: 128, t: 1, p: 1 };

const storedHash = async (id: string) => (await env.DB.prepare("select password_hash from users where id = ?").bind(id).first<{ password_hash: string }>())!.password_hash;

const sessionCount = async (userId: string) => (await env.DB.prepare("select count(*) as n from sessions where user_id = ?").bind(userId).first<{ n: number }>())!.n;
const auditCount = async (userId: string, type: string) =>
  (await env.DB.prepare("select count(*) as n from audit_events where subject_id = ? and type = ?").bind(userId, type).first<{ n: number }>())!.n;

const lockoutFailures = async (username: string) =>
  (await env.DB.prepare("select failures from sign_in_lockouts where username = ?").bind(username).first<{ failures: number }>())?.failures ?? 0;

const input = (db: Db, username: string, password: string) => ({ env, db, now: Date.now(), ip: null, timing: new RequestTiming(), username, password });

describe("a right password under old KDF parameters", () => {
  it("is stored again under the current parameters", async () => {
    const user = await seedUser();
    await env.DB.prepare("update users set password_hash = ? where id = ?").bind(hashPassword(user.password, OLD_PARAMS), user.id).run();
    await signIn(input(directDb(), user.username, user.password));
    const hash = await storedHash(user.id);
    expect(hash).toMatch(new RegExp(`^\\$argon2id\\$v=19\\$m=${KDF_PROFILES.test.m},t=${KDF_PROFILES.test.t},p=1\\$`));
    expect(verifyPassword(user.password, hash)).toBe(true);
  });

  it("never overwrites a password an admin set after the sign-in read the old hash, and makes no session", async () => {
    const user = await seedUser();
    await env.DB.prepare("update users set password_hash = ? where id = ?").bind(hashPassword(user.password, OLD_PARAMS), user.id).run();
    const adminSet = hashPassword("Admin-Set-Temporary-99", KDF_PROFILES.test);
    // Between the sign-in's read (batch 1) and its write (batch 2), an admin sets a new password.
    const db = dbWithHook(async (n) => {
      if (n === 2) await env.DB.prepare("update users set password_hash = ?, password_changed_at = ? where id = ?").bind(adminSet, Date.now(), user.id).run();
    });
    await expect(signIn(input(db, user.username, user.password))).rejects.toMatchObject({ status: 401, code: "invalid_credentials" });
    expect(await storedHash(user.id)).toBe(adminSet);
    expect(await sessionCount(user.id)).toBe(0);
    expect(await auditCount(user.id, "session.created")).toBe(0);
  });
});

describe("two sign-ins that both rehash", () => {
  it("both get their session; the first rehash stands", async () => {
    const user = await seedUser();
    await env.DB.prepare("update users set password_hash = ? where id = ?").bind(hashPassword(user.password, OLD_PARAMS), user.id).run();
    const firstRehash = hashPassword(user.password, KDF_PROFILES.test);
    // The other sign-in's rehash lands between this one's read and write: the hash moved, the password did not.
    const db = dbWithHook(async (n) => {
      if (n === 2) await env.DB.prepare("update users set password_hash = ? where id = ?").bind(firstRehash, user.id).run();
    });
    expect((await signIn(input(db, user.username, user.password))).token).toBeTruthy();
    expect(await storedHash(user.id)).toBe(firstRehash);
    expect(await lockoutFailures(user.username)).toBe(0);
  });
});

/** An admin's set or disable revokes every session; a sign-in that checked the old password meanwhile must not outlive it. */
describe("a sign-in racing an admin's action", () => {
  it.each([
    {
      action: "a password set",
      land: (id: string) => env.DB.prepare("update users set password_hash = ?, password_changed_at = ? where id = ?").bind(hashPassword("Admin-Set-Temporary-99", KDF_PROFILES.test), Date.now(), id).run(),
    },
    { action: "a disable", land: (id: string) => env.DB.prepare("update users set disabled = 1 where id = ?").bind(id).run() },
    { action: "a delete", land: (id: string) => env.DB.prepare("delete from users where id = ?").bind(id).run() },
  ])("gets no session when $action lands between the check and the write", async ({ land }) => {
    const user = await seedUser();
    const db = dbWithHook(async (n) => {
      if (n === 2) await land(user.id);
    });
    await expect(signIn(input(db, user.username, user.password))).rejects.toMatchObject({ status: 401, code: "invalid_credentials" });
    expect(await sessionCount(user.id)).toBe(0);
    expect(await auditCount(user.id, "session.created")).toBe(0);
    expect(await auditCount(user.id, "session.failed")).toBe(1);
    // The password it proved is no longer the account's: the attempt stays counted, as a wrong one's does.
    expect(await lockoutFailures(user.username)).toBe(1);
  });

  it("gets its session when nothing changed", async () => {
    const user = await seedUser();
    const answer = await signIn(input(dbWithHook(async () => {}), user.username, user.password));
    expect(answer.token).toBeTruthy();
    expect(await sessionCount(user.id)).toBe(1);
    expect(await auditCount(user.id, "session.created")).toBe(1);
    expect(await lockoutFailures(user.username)).toBe(0);
  });
});
