import { env } from "cloudflare:workers";
import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { hashPassword, KDF_PROFILES, verifyPassword } from "../../worker/src/crypto/password-hash.js";
import { sha256Hex } from "../../worker/src/crypto/token-hash.js";
import * as schema from "../../worker/src/db/schema.js";
import { currentPolicyQuery, policyFromRow } from "../../worker/src/policy/store.js";
import { changePassword } from "../../worker/src/registration/change-password.js";
import { seedUser, signIn } from "./helpers.js";
import { dbWithHook, directDb, flowContext } from "./stale-read.js";

const NEW_PASSWORD = "Violet-Harbour-Lantern-77";

const row = async (id: string) =>
  (await env.DB.prepare("select password_hash, must_change_password from users where id = ?").bind(id).first<{ password_hash: string; must_change_password: number }>())!;
const changedAudits = async (id: string) =>
  (await env.DB.prepare("select count(*) as n from audit_events where subject_id = ? and type = 'password.changed' and outcome = 'success'").bind(id).first<{ n: number }>())!.n;

/**
 * POST /v1/me/password as the route runs it: what the authentication batch read, then the flow, whose
 * one write batch `land` precedes (the other request's commit between this one's check and write).
 */
async function changeWhile(land: (user: { id: string; token: string }) => Promise<unknown>) {
  const user = await seedUser();
  const token = await signIn(user.username, user.password);
  const db = directDb();
  const [read] = await db.select().from(schema.users).where(eq(schema.users.id, user.id));
  const policy = policyFromRow((await currentPolicyQuery(db))[0]);
  const attempt = { username: user.username, failures: 1, consecutiveFailures: 1, lockCount: 0, lockedUntil: 0, counted: true };
  const racing = dbWithHook(async (n) => {
    if (n === 1) await land({ id: user.id, token });
  });
  const change = changePassword({ ctx: flowContext(racing), user: read!, tokenHash: await sha256Hex(token), policy, currentPassword: user.password, newPassword: NEW_PASSWORD, attempt });
  return { user, change };
}

describe("a password change racing another password write", () => {
  it("does not undo an admin's set that revoked its session: 401, the admin's password and its must-change stand", async () => {
    const adminSet = hashPassword("Admin-Set-Temporary-99", KDF_PROFILES.test);
    const { user, change } = await changeWhile(async ({ id }) => {
      await env.DB.prepare("update users set password_hash = ?, must_change_password = 1, password_changed_at = ? where id = ?").bind(adminSet, Date.now(), id).run();
      await env.DB.prepare("delete from sessions where user_id = ?").bind(id).run();
    });
    await expect(change).rejects.toMatchObject({ status: 401, code: "unauthorized" });
    expect(await row(user.id)).toEqual({ password_hash: adminSet, must_change_password: 1 });
    expect(await changedAudits(user.id)).toBe(0);
  });

  it("answers 409 when another change from the same session landed first, and keeps that one", async () => {
    const other = hashPassword("Other-Tab-Password-42", KDF_PROFILES.test);
    const { user, change } = await changeWhile(({ id }) => env.DB.prepare("update users set password_hash = ? where id = ?").bind(other, id).run());
    await expect(change).rejects.toMatchObject({ status: 409, code: "conflict" });
    expect((await row(user.id)).password_hash).toBe(other);
    expect(await changedAudits(user.id)).toBe(0);
  });

  it("changes the password when nothing landed meanwhile", async () => {
    const { user, change } = await changeWhile(async () => {});
    await change;
    expect(verifyPassword(NEW_PASSWORD, (await row(user.id)).password_hash)).toBe(true);
    expect(await changedAudits(user.id)).toBe(1);
  });
});
