import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { api, signIn } from "../e2e/support/api.js";
import type { DirectoryHarness } from "./support/directory-types.js";
import { setResetPassword, verifiedReset, workerUser } from "./support/flows.js";
import { startDirectoryStack, type DirectoryStack } from "./support/stack.js";

export interface ConnectorCase {
  name: string;
  start(): Promise<DirectoryHarness>;
  /** A password the worker's default policy accepts (15+ characters) that this directory's own rules refuse. */
  refusedByDirectory: string;
  /** Whether this directory's passwords have a maximum age (AD's maxPwdAge), so users carry an expiry. */
  passwordsExpire: boolean;
  /** Failed binds after which this directory locks an account (below OpenSSPR's default of 10 in both test servers). */
  lockoutThreshold: number;
}

/**
 * Every flow of directory.md through the real chain: worker (wrangler dev, D1) ⇄ agent (Node) ⇄ a
 * real directory server. Each ends by asking the directory itself (a bind) whether the change happened.
 */
export function connectorFlows(c: ConnectorCase): void {
  describe(`${c.name}: worker, agent and directory together`, () => {
    let directory: DirectoryHarness;
    let stack: DirectoryStack;
    const login = new Map<string, string>();

    beforeAll(async () => {
      directory = await c.start();
      // The mail attribute doubles as the alternate email, so each user has a recovery method at once.
      stack = await startDirectoryStack(directory, { alternateEmailAttribute: "mail" });
    });
    afterAll(async () => {
      await stack?.stop();
      await directory?.stop();
    });

    const loginOf = async (name: string) => {
      const known = login.get(name);
      if (known) return known;
      const u = await workerUser(stack, directory.user(name).displayName);
      login.set(name, u.username);
      return u.username;
    };

    /** The sync's errors while OpenSSPR's default sign-in threshold (10) is not below the directory's lockout. */
    const lockoutWarning = () => [expect.stringContaining(`The directory locks an account after ${c.lockoutThreshold} failed sign-ins`)];

    it("mirrors users, groups and roles from groups on the first sync", async () => {
      const status = await api<{ agents: { id: string; connected: boolean }[]; lastSync: { users: number; errors: string[] } }>(stack.worker.url, "GET", "/v1/admin/directory", undefined, stack.adminToken);
      expect(status.body.agents).toEqual([expect.objectContaining({ id: stack.agentId, connected: true })]);
      expect(status.body.lastSync.errors).toEqual(lockoutWarning());
      expect(status.body.lastSync.users).toBeGreaterThanOrEqual(4);

      const alice = await workerUser(stack, directory.user("alice").displayName);
      expect(alice.roles).toContain("global_admin");
      expect(alice.groups).toEqual(expect.arrayContaining(["staff", directory.roleGroups.global_admin]));
      const bob = await workerUser(stack, directory.user("bob").displayName);
      expect(bob.roles).toContain("password_admin");
      const dave = await workerUser(stack, directory.user("dave").displayName);
      expect(dave.roles).toEqual(["user"]);
      expect(dave.registration.methods.map((m) => m.type)).toContain("email");
      expect(dave.passwordNeverExpires).toBe(!c.passwordsExpire);
      if (c.passwordsExpire) expect(Date.parse(dave.passwordExpiresAt!)).toBeGreaterThan(Date.now());
      else expect(dave.passwordExpiresAt).toBeNull();
    });

    it("scopes self-service reset by a group that comes from the directory", async () => {
      const dave = directory.user("dave");
      const scoped = await api(stack.worker.url, "PATCH", "/v1/admin/policy", { selfServiceReset: { enabledFor: "selected", groups: ["staff"] } }, stack.adminToken);
      expect(scoped.status).toBe(200);
      try {
        expect((await api(stack.worker.url, "POST", "/v1/resets", { username: await loginOf("dave") })).body).toMatchObject({ status: "unavailable" });
        await directory.addToGroup("staff", "dave");
        await stack.syncNow();
        expect((await workerUser(stack, dave.displayName)).groups).toContain("staff");
        expect((await api(stack.worker.url, "POST", "/v1/resets", { username: await loginOf("dave") })).status).toBe(201);
      } finally {
        await api(stack.worker.url, "PATCH", "/v1/admin/policy", { selfServiceReset: { enabledFor: "all", groups: [] } }, stack.adminToken);
      }
    });

    it("signs a directory user in through a bind, and refuses a wrong password the same way as for anyone", async () => {
      const alice = directory.user("alice");
      const ok = await api<{ user: { source: string } }>(stack.worker.url, "POST", "/v1/sessions", { username: await loginOf("alice"), password: alice.password });
      expect(ok.status).toBe(201);
      expect(ok.body.user.source).toBe("directory");
      const wrong = await api<{ error: { code: string } }>(stack.worker.url, "POST", "/v1/sessions", { username: await loginOf("alice"), password: "not-alices-password" });
      const unknown = await api<{ error: { code: string } }>(stack.worker.url, "POST", "/v1/sessions", { username: "nobody@example.test", password: "not-alices-password" });
      expect(wrong.status).toBe(401);
      expect(wrong.body).toEqual(unknown.body);
    });

    it("refuses an admin's edit of a field the directory owns", async () => {
      const dave = await workerUser(stack, directory.user("dave").displayName);
      const res = await api<{ error: { code: string } }>(stack.worker.url, "PATCH", `/v1/admin/users/${dave.id}`, { displayName: "Someone Else" }, stack.adminToken);
      expect(res.status).toBe(409);
      expect(res.body.error.code).toBe("managed_by_directory");
    });

    it("resets a password in the directory: the new one binds, the old one no longer does", async () => {
      const dave = directory.user("dave");
      const reset = await verifiedReset(stack, await loginOf("dave"), dave.mail);
      const newPassword = "Copper-Lantern-Meadow-71";
      const res = await setResetPassword(stack, reset, newPassword);
      expect(res.status, JSON.stringify(res.body)).toBe(200);
      expect(res.body.status).toBe("completed");
      expect(await directory.canBind(dave.dn, newPassword)).toBe(true);
      expect(await directory.canBind(dave.dn, dave.password)).toBe(false);
      dave.password = newPassword;
      expect((await api(stack.worker.url, "POST", "/v1/sessions", { username: await loginOf("dave"), password: newPassword })).status).toBe(201);
    });

    it("passes on the directory's own refusal in plain words, and the reset stays open for another try", async () => {
      const dave = directory.user("dave");
      const reset = await verifiedReset(stack, await loginOf("dave"), dave.mail);
      const refused = await setResetPassword(stack, reset, c.refusedByDirectory);
      expect(refused.status, JSON.stringify(refused.body)).toBe(422);
      expect(refused.body.error?.code).toBe("password_policy");
      const detail = refused.body.error?.details?.find((d) => d.rule === "directory");
      expect(detail?.message).toMatch(/directory/i);
      expect(detail?.message).not.toMatch(/0000052D|LDAP|constraint/i);
      expect(await directory.canBind(dave.dn, dave.password)).toBe(true);

      const next = "Violet-Harbor-Quartz-29";
      const accepted = await setResetPassword(stack, reset, next);
      expect(accepted.status, JSON.stringify(accepted.body)).toBe(200);
      expect(await directory.canBind(dave.dn, next)).toBe(true);
      dave.password = next;
    });

    it("answers 503 and changes nothing while the agent is stopped; the same reset completes once it is back", async () => {
      const dave = directory.user("dave");
      const reset = await verifiedReset(stack, await loginOf("dave"), dave.mail);
      await stack.agent.stop();
      const next = "Amber-Summit-Willow-53";
      const down = await setResetPassword(stack, reset, next);
      expect(down.status).toBe(503);
      expect(down.body.error?.code).toBe("directory_unavailable");
      expect(await directory.canBind(dave.dn, dave.password)).toBe(true);
      expect(await directory.canBind(dave.dn, next)).toBe(false);

      await stack.restartAgent();
      const done = await setResetPassword(stack, reset, next);
      expect(done.status, JSON.stringify(done.body)).toBe(200);
      expect(await directory.canBind(dave.dn, next)).toBe(true);
      dave.password = next;
    });

    it("lets a user change their own password with the current one, checked by the directory", async () => {
      const alice = directory.user("alice");
      const token = await signIn(stack.worker.url, await loginOf("alice"), alice.password);
      const wrong = await api<{ error: { code: string } }>(stack.worker.url, "POST", "/v1/me/password", { currentPassword: "not-the-current-one", newPassword: "Granite-Orchid-Falcon-88" }, token);
      expect(wrong.status).toBe(400);
      expect(wrong.body.error.code).toBe("invalid_current_password");
      const next = "Granite-Orchid-Falcon-88";
      const changed = await api(stack.worker.url, "POST", "/v1/me/password", { currentPassword: alice.password, newPassword: next }, token);
      expect(changed.status, JSON.stringify(changed.body)).toBe(204);
      expect(await directory.canBind(alice.dn, next)).toBe(true);
      alice.password = next;
    });

    it("unlocks a user the directory locked after failed binds", async () => {
      const dave = directory.user("dave");
      await directory.lockByFailedBinds(dave.dn);
      expect(await directory.canBind(dave.dn, dave.password)).toBe(false);
      const locked = await api(stack.worker.url, "POST", "/v1/sessions", { username: await loginOf("dave"), password: dave.password });
      expect(locked.status).toBe(401);

      const worker = await workerUser(stack, dave.displayName);
      const unlocked = await api(stack.worker.url, "POST", `/v1/admin/users/${worker.id}/unlock`, undefined, stack.adminToken);
      expect(unlocked.status).toBe(204);
      expect(await directory.canBind(dave.dn, dave.password)).toBe(true);
      expect((await api(stack.worker.url, "POST", "/v1/sessions", { username: await loginOf("dave"), password: dave.password })).status).toBe(201);
    });

    it("stops warning about the directory's lockout once OpenSSPR's sign-in threshold is below it", async () => {
      const patch = (signInThreshold: number) => api(stack.worker.url, "PATCH", "/v1/admin/policy", { lockout: { signInThreshold } }, stack.adminToken);
      expect((await patch(c.lockoutThreshold - 1)).status).toBe(200);
      try {
        expect((await stack.syncNow()).errors).toEqual([]);
      } finally {
        expect((await patch(10)).status).toBe(200);
      }
    });

    it("disables a user disabled in the directory and one removed from it, ending their sessions", async () => {
      const carol = directory.user("carol");
      const bob = directory.user("bob");
      const carolLogin = await loginOf("carol");
      const bobLogin = await loginOf("bob");
      const carolToken = await signIn(stack.worker.url, carolLogin, carol.password);
      const bobToken = await signIn(stack.worker.url, bobLogin, bob.password);

      await directory.disableUser(carol.dn);
      await directory.removeUser(bob.dn);
      const sync = await stack.syncNow();
      expect(sync.errors).toEqual(lockoutWarning());

      expect((await workerUser(stack, carol.displayName)).disabled).toBe(true);
      expect((await workerUser(stack, bob.displayName)).disabled).toBe(true);
      expect((await api(stack.worker.url, "GET", "/v1/me", undefined, carolToken)).status).toBe(401);
      expect((await api(stack.worker.url, "GET", "/v1/me", undefined, bobToken)).status).toBe(401);
      expect((await api(stack.worker.url, "POST", "/v1/resets", { username: carolLogin })).body).toMatchObject({ status: "unavailable" });
    });
  });
}
