import { env } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import { eq } from "drizzle-orm";
import { syncPageRequestSchema } from "../../shared/directory/protocol.js";
import * as schema from "../../worker/src/db/schema.js";
import { applySyncPage } from "../../worker/src/directory/sync/sync-page.js";
import { callJson, seedAndSignIn, seedUser, signIn } from "./helpers.js";
import { dbWithHook, directDb } from "./stale-read.js";
import { directoryEntry, fullSync, methodsOfUser, newSyncId, postPage, seedAgent, userByExternalId } from "./support/directory-sync.js";

let agent: { id: string; credential: string };

beforeAll(async () => {
  agent = await seedAgent();
});

const all = async <T>(query: string, ...binds: unknown[]) => (await env.DB.prepare(query).bind(...binds).all<T>()).results;

/** The read models of migrations 0008/0009 equal what a full scan of their sources says. */
async function expectReadModelsExact() {
  const labels = await all(`select kind, value, username, user_id from user_labels order by kind, value, username`);
  const derived = await all(
    `select distinct 'role' as kind, r.value, u.username, u.id as user_id from users u, json_each(u.roles) r
     union select distinct 'group', g.value, u.username, u.id from users u, json_each(u.groups) g order by 1, 2, 3`,
  );
  expect(labels).toEqual(derived);
  const indexed = await all(`select k.user_id, s.username, s.display_name from users_search s join user_search_keys k on k.key = s.rowid order by k.user_id`);
  expect(indexed).toEqual(await all(`select id as user_id, username || char(1, 1) as username, display_name_folded || char(1, 1) as display_name from users order by id`));
  const buckets = await all(`select is_admin, disabled, groups, mask, n from registration_buckets where n > 0 order by 1, 2, 3, 4`);
  const counted = await all(`select exists (select 1 from json_each(u.roles) where value in ('global_admin', 'password_admin')) as is_admin, u.disabled, u.groups,
      coalesce((select sum(bit) from (select distinct case m.type when 'email' then 1 when 'sms' then 2 when 'totp' then 4 when 'security_questions' then 8 end as bit
        from recovery_methods m where m.user_id = u.id and m.status = 'active')), 0) as mask, count(*) as n
    from users u group by 1, 2, 3, 4 order by 1, 2, 3, 4`);
  expect(buckets).toEqual(counted);
}

describe("POST /v1/agent/sync", () => {
  it("refuses a caller that is not an enrolled agent (401 before any body check)", async () => {
    const res = await postPage("not-a-credential-at-all-000000", { syncId: newSyncId(), page: 0 });
    expect(res.status).toBe(401);
    const bad = await callJson("POST", "/v1/agent/sync", { token: "not-a-credential-at-all-000000", body: { nonsense: true } });
    expect(bad.status).toBe(401);
    const invalid = await callJson("POST", "/v1/agent/sync", { token: agent.credential, body: { syncId: "x", page: -1 } });
    expect(invalid.status).toBe(400);
  });

  it("inserts directory users with the directory's fields and no password hash", async () => {
    const jane = directoryEntry("jane", { username: "Jane.Doe@Example.TEST", groups: ["staff", "helpdesk", "staff"], roles: ["password_admin", "user"], mustChangePassword: true, passwordNeverExpires: false });
    const { syncId, answers } = await fullSync(agent.credential, [jane]);
    expect(answers[0]).toEqual({ accepted: 1, skipped: [] });
    const row = await userByExternalId(jane.externalId);
    expect(row).toMatchObject({
      username: "jane.doe@example.test",
      display_name: jane.displayName,
      source: "directory",
      directory_dn: jane.dn,
      disabled: 0,
      password_hash: null,
      must_change_password: 1,
      password_changed_at: jane.passwordChangedAt,
      password_expires_at: jane.passwordExpiresAt,
      password_never_expires: 0,
      sync_id: syncId,
      email: jane.email,
    });
    expect(JSON.parse(row!.groups)).toEqual(["helpdesk", "staff"]);
    expect(JSON.parse(row!.roles)).toEqual(["user", "password_admin"]);

    const admin = await seedAndSignIn({ roles: ["global_admin"] });
    const shown = await callJson("GET", `/v1/admin/users/${row!.id}`, { token: admin.token });
    expect(shown.status).toBe(200);
    expect(shown.body).toMatchObject({ source: "directory", passwordExpiresAt: new Date(jane.passwordExpiresAt!).toISOString(), passwordNeverExpires: false, mustChangePassword: true });
    // Searchable like a native user, by 2 characters too (the term range of the trigram index).
    const found = await callJson("GET", "/v1/admin/users?q=DO&limit=100", { token: admin.token });
    expect(found.body.users.map((u: { id: string }) => u.id)).toContain(row!.id);
    const sync = await all<{ finished_at: number | null; users: number; group_count: number; errors: string }>(`select * from directory_syncs where id = ?`, syncId);
    expect(sync[0]!.finished_at).not.toBeNull();
    expect(sync[0]!.users).toBe(1);
    expect(sync[0]!.group_count).toBe(2);
    await expectReadModelsExact();
  });

  it("updates, renames (by stable id), disables, disables the missing and enables those who come back", async () => {
    const a = directoryEntry("upd");
    const b = directoryEntry("ren");
    const c = directoryEntry("gone");
    await fullSync(agent.credential, [a, b, c]);
    const before = await userByExternalId(b.externalId);
    const session = await env.DB.prepare(`insert into sessions (token_hash, user_id, created_at, expires_at) values (?, ?, ?, ?)`)
      .bind(`hash-${c.externalId}`, (await userByExternalId(c.externalId))!.id, Date.now(), Date.now() + 3_600_000)
      .run();
    expect(session.success).toBe(true);

    const renamed = { ...b, username: `renamed-${b.username}`, displayName: "Renamed Person", groups: ["finance"] };
    const updated = { ...a, disabled: true, passwordNeverExpires: true, passwordExpiresAt: null, roles: ["user", "global_admin"] as const };
    await fullSync(agent.credential, [{ ...updated, roles: [...updated.roles] }, renamed]);
    const afterB = await userByExternalId(b.externalId);
    expect(afterB!.id).toBe(before!.id);
    expect(afterB).toMatchObject({ username: renamed.username, display_name: "Renamed Person", groups: '["finance"]', disabled: 0 });
    expect(await userByExternalId(a.externalId)).toMatchObject({ disabled: 1, password_never_expires: 1, password_expires_at: null, roles: '["user","global_admin"]' });
    expect(await userByExternalId(c.externalId)).toMatchObject({ disabled: 1 });
    expect(await all(`select * from sessions where user_id = ?`, (await userByExternalId(c.externalId))!.id)).toEqual([]);
    await expectReadModelsExact();

    // Back in the directory: enabled again.
    await fullSync(agent.credential, [a, b, c]);
    expect(await userByExternalId(c.externalId)).toMatchObject({ disabled: 0 });
    expect(await userByExternalId(a.externalId)).toMatchObject({ disabled: 0, roles: '["user"]' });
    await expectReadModelsExact();
  });

  it("never disables the missing when the agent reported errors reading the directory", async () => {
    const kept = directoryEntry("kept");
    await fullSync(agent.credential, [kept]);
    const { syncId } = await fullSync(agent.credential, [], { errors: ["ou=people: size limit exceeded"] });
    expect(await userByExternalId(kept.externalId)).toMatchObject({ disabled: 0 });
    const [sync] = await all<{ errors: string; incomplete: number }>(`select errors, incomplete from directory_syncs where id = ?`, syncId);
    expect(JSON.parse(sync!.errors)).toEqual(["ou=people: size limit exceeded"]);
    expect(sync!.incomplete).toBe(1);
  });

  it("shows the agent's warnings with the errors, and still disables the missing: a warning is no read failure", async () => {
    const gone = directoryEntry("warned");
    await fullSync(agent.credential, [gone]);
    const syncId = newSyncId();
    const warning = 'roleGroups.global_admin: "SSPR Admins" is the cn of 2 groups; nobody gets the role from it.';
    expect((await postPage(agent.credential, { syncId, page: 0, last: true, warnings: [warning] })).status).toBe(200);
    expect(await userByExternalId(gone.externalId)).toMatchObject({ disabled: 1 });
    const [sync] = await all<{ errors: string; incomplete: number }>(`select errors, incomplete from directory_syncs where id = ?`, syncId);
    expect(JSON.parse(sync!.errors)).toEqual([warning]);
    expect(sync!.incomplete).toBe(0);
  });

  it("leaves a user the agent read but could not send as it was: not disabled, and the sync still disables the users who left", async () => {
    const unusable = directoryEntry("unusable");
    const left = directoryEntry("left");
    await fullSync(agent.credential, [unusable, left]);
    const syncId = newSyncId();
    expect((await postPage(agent.credential, { syncId, page: 0, last: true, seen: [unusable.externalId], warnings: [`${unusable.dn}: username is not usable; left as it was`] })).status).toBe(200);
    expect(await userByExternalId(unusable.externalId)).toMatchObject({ disabled: 0, username: unusable.username.toLowerCase() });
    expect(await userByExternalId(left.externalId)).toMatchObject({ disabled: 1 });
    const [sync] = await all<{ incomplete: number }>(`select incomplete from directory_syncs where id = ?`, syncId);
    expect(sync!.incomplete).toBe(0);
  });

  it("skips a username that belongs to a native user, and never touches that user", async () => {
    const native = await seedUser({ displayName: "Native Person" });
    const clash = directoryEntry("clash", { username: native.username.toUpperCase(), displayName: "Impostor" });
    const other = directoryEntry("fine");
    const { syncId, answers } = await fullSync(agent.credential, [clash, other]);
    expect(answers[0]!.accepted).toBe(1);
    expect(answers[0]!.skipped).toHaveLength(1);
    expect(answers[0]!.skipped[0]).toContain("belongs to a user created in OpenSSPR");
    const [row] = await all<{ source: string; display_name: string; password_hash: string | null; disabled: number }>(`select * from users where id = ?`, native.id);
    expect(row).toMatchObject({ source: "native", display_name: "Native Person", disabled: 0 });
    expect(row!.password_hash).not.toBeNull();
    expect(await userByExternalId(clash.externalId)).toBeNull();
    const [sync] = await all<{ errors: string; incomplete: number }>(`select errors, incomplete from directory_syncs where id = ?`, syncId);
    expect(JSON.parse(sync!.errors)[0]).toContain("belongs to a user created in OpenSSPR");
    // A skip is not a failed read of the directory: the sync still disables the missing.
    expect(sync!.incomplete).toBe(0);
    expect(await signIn(native.username, native.password)).toBeTruthy();
  });

  it("frees a name held by a recreated entry at the end of the sync, gives it at the next, and keeps the holder when two entries share one name", async () => {
    const original = directoryEntry("recreated");
    await fullSync(agent.credential, [original]);
    const old = await userByExternalId(original.externalId);
    // Deleted and recreated in the directory: a new stable id under the same name.
    const recreated = { ...original, externalId: `${original.externalId}-new` };
    const first = await fullSync(agent.credential, [recreated]);
    expect(first.answers[0]!.skipped).toEqual([expect.stringContaining("gets it at the next sync")]);
    expect(await userByExternalId(recreated.externalId)).toBeNull();
    expect(await userByExternalId(original.externalId)).toMatchObject({ disabled: 1, username: `${original.username.toLowerCase()} (replaced, ${old!.id})` });
    expect(await all(`select * from directory_name_claims where sync_id = ?`, first.syncId)).toEqual([]);
    await fullSync(agent.credential, [recreated]);
    const fresh = await userByExternalId(recreated.externalId);
    expect(fresh!.id).not.toBe(old!.id);
    expect(fresh!.username).toBe(original.username.toLowerCase());
    expect(await userByExternalId(original.externalId)).toMatchObject({ disabled: 1 });

    // Two entries with one username in one sync: the one that has it keeps it.
    const twin = { ...directoryEntry("twin"), username: recreated.username };
    const { answers } = await fullSync(agent.credential, [twin, recreated]);
    expect(answers[0]!.skipped).toEqual([expect.stringContaining("another directory entry has the username")]);
    expect((await userByExternalId(recreated.externalId))!.disabled).toBe(0);
    await expectReadModelsExact();
  });

  it("never lets an entry on an earlier page push aside the holder of its name: the holder keeps it, enabled, sync after sync", async () => {
    const victim = directoryEntry("victim");
    await fullSync(agent.credential, [victim]);
    const before = await userByExternalId(victim.externalId);
    // Another entry sets its username attribute to the victim's and is read first (pages of one).
    const impostor = { ...directoryEntry("impostor"), username: victim.username };
    for (let round = 0; round < 2; round++) {
      const { answers } = await fullSync(agent.credential, [impostor, victim], { pageSize: 1 });
      expect(answers[0]!.skipped).toEqual([expect.stringContaining("belongs to another directory entry not read yet")]);
      expect(answers[1]!.accepted).toBe(1);
      expect(await userByExternalId(victim.externalId)).toMatchObject({ id: before!.id, username: victim.username.toLowerCase(), disabled: 0 });
      expect(await userByExternalId(impostor.externalId)).toBeNull();
    }
    await expectReadModelsExact();
  });

  it("keeps a renamed entry under its old name while the new one is claimed, and renames it at the next sync once free", async () => {
    const holder = directoryEntry("holder");
    const mover = directoryEntry("mover");
    await fullSync(agent.credential, [holder, mover]);
    const wanted = { ...mover, username: holder.username };
    // The holder left the directory; the mover took its name, and comes first.
    const { answers } = await fullSync(agent.credential, [wanted], { pageSize: 1 });
    expect(answers[0]!.accepted).toBe(1);
    expect(await userByExternalId(mover.externalId)).toMatchObject({ username: mover.username.toLowerCase(), disabled: 0 });
    expect(await userByExternalId(holder.externalId)).toMatchObject({ disabled: 1 });
    await fullSync(agent.credential, [wanted]);
    expect(await userByExternalId(mover.externalId)).toMatchObject({ username: holder.username.toLowerCase(), disabled: 0 });
    await expectReadModelsExact();
  });

  it("never disables an entry over a name conflict: two entries that swap names keep their old ones, reported", async () => {
    const a = directoryEntry("swapa");
    const b = directoryEntry("swapb");
    await fullSync(agent.credential, [a, b]);
    const { syncId } = await fullSync(agent.credential, [{ ...a, username: b.username }, { ...b, username: a.username }]);
    expect(await userByExternalId(a.externalId)).toMatchObject({ username: a.username.toLowerCase(), disabled: 0 });
    expect(await userByExternalId(b.externalId)).toMatchObject({ username: b.username.toLowerCase(), disabled: 0 });
    const [sync] = await all<{ errors: string }>(`select errors from directory_syncs where id = ?`, syncId);
    expect(JSON.parse(sync!.errors)).toEqual(expect.arrayContaining([expect.stringContaining(`keeps the username ${a.username.toLowerCase()} for now`)]));
  });

  it("claims many names in one page (recreated entries), and gives them all at the next sync", async () => {
    const originals = Array.from({ length: 60 }, (_, i) => directoryEntry(`bulk${i}`));
    await fullSync(agent.credential, originals);
    const recreated = originals.map((o) => ({ ...o, externalId: `${o.externalId}-again` }));
    const { answers } = await fullSync(agent.credential, recreated);
    expect(answers[0]!.skipped).toHaveLength(60);
    await fullSync(agent.credential, recreated);
    for (const r of recreated.slice(0, 3)) expect(await userByExternalId(r.externalId)).toMatchObject({ username: r.username.toLowerCase(), disabled: 0 });
    expect((await all(`select id from users where external_id like '%-again' and disabled = 0`)).length).toBe(60);
  });

  it("warns the admin in the sync's errors when the directory locks accounts at or below OpenSSPR's sign-in threshold", async () => {
    const entry = directoryEntry("lockout");
    const errorsOf = async (threshold: number | null) => {
      const syncId = newSyncId();
      expect((await postPage(agent.credential, { syncId, page: 0, last: true, users: [entry], groups: [], errors: [], directoryLockout: { threshold } })).status).toBe(200);
      const [sync] = await all<{ errors: string; incomplete: number }>(`select errors, incomplete from directory_syncs where id = ?`, syncId);
      expect(sync!.incomplete).toBe(0);
      return JSON.parse(sync!.errors) as string[];
    };
    // The default policy checks 10 sign-ins before its own lock.
    expect(await errorsOf(5)).toEqual([expect.stringContaining("The directory locks an account after 5 failed sign-ins, and OpenSSPR checks up to 10")]);
    expect(await errorsOf(10)).toHaveLength(1);
    expect(await errorsOf(11)).toEqual([]);
    expect(await errorsOf(null)).toEqual([]);
  });

  it("keeps a password OpenSSPR set after the sync began: the agent's older read does not undo its must-change", async () => {
    const user = { ...directoryEntry("setmid"), mustChangePassword: false, passwordChangedAt: Date.now() - 86_400_000 };
    await fullSync(agent.credential, [user]);
    const syncId = newSyncId();
    const first = directoryEntry("pageone");
    expect((await postPage(agent.credential, { syncId, page: 0, last: false, users: [first], groups: [], errors: [] })).status).toBe(200);
    // Meanwhile an admin sets a temporary password through the agent: what the worker records then.
    const setAt = Date.now() + 1;
    const id = (await userByExternalId(user.externalId))!.id;
    await env.DB.prepare("update users set must_change_password = 1, password_changed_at = ? where id = ?").bind(setAt, id).run();
    expect((await postPage(agent.credential, { syncId, page: 1, last: true, users: [{ ...user, displayName: "Read Before The Set" }], groups: [], errors: [] })).status).toBe(200);
    expect(await userByExternalId(user.externalId)).toMatchObject({ display_name: "Read Before The Set", must_change_password: 1, password_changed_at: setAt });
    // The next sync reads the directory after the set: its values count again.
    await new Promise((resolve) => setTimeout(resolve, 10));
    await fullSync(agent.credential, [user]);
    expect(await userByExternalId(user.externalId)).toMatchObject({ must_change_password: 0, password_changed_at: user.passwordChangedAt });

    // A set while the agent was still reading, before it posted page 0: dated by when the read began.
    const readStartedAt = Date.now();
    await new Promise((resolve) => setTimeout(resolve, 5));
    const duringRead = Date.now();
    await env.DB.prepare("update users set must_change_password = 1, password_changed_at = ? where id = ?").bind(duringRead, id).run();
    await new Promise((resolve) => setTimeout(resolve, 5));
    expect((await postPage(agent.credential, { syncId: newSyncId(), page: 0, last: true, users: [user], groups: [], errors: [], readStartedAt })).status).toBe(200);
    expect(await userByExternalId(user.externalId)).toMatchObject({ must_change_password: 1, password_changed_at: duringRead });
  });

  it("applies pages in order: a repeat, a gap, another agent's sync or a finished sync is 409 and changes nothing", async () => {
    const syncId = newSyncId();
    const first = directoryEntry("order");
    expect((await postPage(agent.credential, { syncId, page: 1, users: [first] })).status).toBe(409);
    expect((await postPage(agent.credential, { syncId, page: 0, users: [first] })).status).toBe(200);
    expect((await postPage(agent.credential, { syncId, page: 0, users: [first] })).status).toBe(409);
    expect((await postPage(agent.credential, { syncId, page: 2, users: [] })).status).toBe(409);
    const other = await seedAgent("other");
    expect((await postPage(other.credential, { syncId, page: 1, users: [] })).status).toBe(409);
    const second = directoryEntry("order");
    // Two copies of the next page at once: exactly one is applied.
    const copies = await Promise.all([0, 1].map(() => postPage(agent.credential, { syncId, page: 1, users: [second] })));
    expect(copies.map((r) => r.status).sort()).toEqual([200, 409]);
    expect((await postPage(agent.credential, { syncId, page: 2, last: true })).status).toBe(200);
    expect((await postPage(agent.credential, { syncId, page: 3, last: true })).status).toBe(409);
    const [sync] = await all<{ next_page: number; users: number }>(`select next_page, users from directory_syncs where id = ?`, syncId);
    expect(sync).toMatchObject({ next_page: 3, users: 2 });
  });

  it("an agent's new sync stops its own older one still open: the older one's pages are refused, and users both read stay enabled", async () => {
    const both = directoryEntry("overlap");
    const onlyOld = directoryEntry("overlap");
    await fullSync(agent.credential, [both, onlyOld]);
    const older = newSyncId();
    const newer = newSyncId();
    expect((await postPage(agent.credential, { syncId: older, page: 0, users: [both] })).status).toBe(200);
    // The agent started again (a restart, or "sync now" during its first sync).
    expect((await postPage(agent.credential, { syncId: newer, page: 0, users: [both] })).status).toBe(200);
    const refused = await postPage(agent.credential, { syncId: older, page: 1, users: [onlyOld], last: true });
    expect(refused.status).toBe(409);
    expect(refused.body.error.message).toContain("newer sync");
    expect((await userByExternalId(both.externalId))!.disabled).toBe(0);
    expect((await postPage(agent.credential, { syncId: newer, page: 1, users: [onlyOld], last: true })).status).toBe(200);
    expect((await userByExternalId(both.externalId))!.disabled).toBe(0);
    expect((await userByExternalId(onlyOld.externalId))!.disabled).toBe(0);
    const [sync] = await all<{ finished_at: number | null }>(`select finished_at from directory_syncs where id = ?`, older);
    expect(sync!.finished_at).toBeNull();
  });

  it("another agent's sync waits while one is under way, and stops one abandoned for over an hour", async () => {
    const standby = await seedAgent("standby");
    const entry = directoryEntry("standby");
    const running = newSyncId();
    expect((await postPage(agent.credential, { syncId: running, page: 0, users: [entry] })).status).toBe(200);
    const waiting = await postPage(standby.credential, { syncId: newSyncId(), page: 0, users: [entry] });
    expect(waiting.status).toBe(409);
    expect(waiting.body.error.message).toContain("Another agent's sync");
    // The running sync still finishes.
    expect((await postPage(agent.credential, { syncId: running, page: 1, last: true })).status).toBe(200);
    expect((await postPage(standby.credential, { syncId: newSyncId(), page: 0, users: [entry], last: true })).status).toBe(200);

    // An agent not heard from for over 15 minutes has abandoned its sync: it no longer holds the others up.
    const abandoned = newSyncId();
    expect((await postPage(agent.credential, { syncId: abandoned, page: 0, users: [entry] })).status).toBe(200);
    await env.DB.prepare("update directory_agents set last_seen_at = ? where id = ?").bind(Date.now() - 16 * 60_000, agent.id).run();
    expect((await postPage(standby.credential, { syncId: newSyncId(), page: 0, users: [entry], last: true })).status).toBe(200);
    expect((await postPage(agent.credential, { syncId: abandoned, page: 1, last: true })).status).toBe(409);
  });

  it("of two agents' first pages that cross between read and write, the later one opens nothing", async () => {
    const standby = await seedAgent("crossing");
    const entry = directoryEntry("crossing");
    const db = directDb();
    const [standbyRow] = await db.select().from(schema.directoryAgents).where(eq(schema.directoryAgents.id, standby.id));
    const late = newSyncId();
    // The standby read "no other sync"; the main agent's page 0 lands before the standby's write.
    const racing = dbWithHook(async (n) => {
      if (n === 2) expect((await postPage(agent.credential, { syncId: newSyncId(), page: 0, users: [entry] })).status).toBe(200);
    });
    const page = syncPageRequestSchema.parse({ syncId: late, page: 0, last: true, users: [entry], groups: [], errors: [] });
    await expect(applySyncPage(racing, standbyRow!, page, Date.now())).rejects.toMatchObject({ status: 409, message: expect.stringContaining("Another agent's sync") });
    expect(await all(`select id from directory_syncs where id = ?`, late)).toEqual([]);
  });

  it("seeds active methods from the directory, replaces them when it changes, and never re-creates one the user deleted", async () => {
    const person = directoryEntry("seed", { alternateEmail: "private@example.org", mobile: "+44 7911 123456" });
    await fullSync(agent.credential, [person]);
    const { id } = (await userByExternalId(person.externalId))!;
    expect(await methodsOfUser(id)).toEqual([
      expect.objectContaining({ type: "email", status: "active", target: "private@example.org", origin: "directory" }),
      expect.objectContaining({ type: "sms", status: "active", target: "+447911123456", origin: "directory" }),
    ]);
    await expectReadModelsExact();

    // Unchanged: nothing happens (same ids).
    const ids = (await methodsOfUser(id)).map((m) => m.id);
    await fullSync(agent.credential, [person]);
    expect((await methodsOfUser(id)).map((m) => m.id)).toEqual(ids);

    // The mobile changes: the seeded SMS method is replaced; the email method stays.
    await fullSync(agent.credential, [{ ...person, mobile: "+44 7911 123457" }]);
    const replaced = await methodsOfUser(id);
    expect(replaced.map((m) => m.target).sort()).toEqual(["+447911123457", "private@example.org"]);
    expect(replaced.find((m) => m.type === "email")!.id).toBe(ids[0]);

    // The user deletes the seeded email method: an unchanged attribute does not bring it back.
    await env.DB.prepare(`delete from recovery_methods where user_id = ? and type = 'email'`).bind(id).run();
    await fullSync(agent.credential, [{ ...person, mobile: "+44 7911 123457" }]);
    expect((await methodsOfUser(id)).map((m) => m.type)).toEqual(["sms"]);

    // Cleared in the directory: the seeded method goes; a method the user added stays.
    await env.DB.prepare(`insert into recovery_methods (id, user_id, type, status, target, hint, created_at, verified_at) values ('mth_own', ?, 'sms', 'active', '+447911123999', '•', 1, 1)`).bind(id).run();
    await fullSync(agent.credential, [{ ...person, mobile: null }]);
    expect(await methodsOfUser(id)).toEqual([expect.objectContaining({ id: "mth_own", origin: "user" })]);
    await expectReadModelsExact();
  });

  it("skips an invalid mobile number with a sync error, and stores the user", async () => {
    const person = directoryEntry("badphone", { mobile: "12345", alternateEmail: "not an email" });
    const { syncId, answers } = await fullSync(agent.credential, [person]);
    expect(answers[0]).toEqual({ accepted: 1, skipped: [] });
    const { id } = (await userByExternalId(person.externalId))!;
    expect(await methodsOfUser(id)).toEqual([]);
    const [sync] = await all<{ errors: string }>(`select errors from directory_syncs where id = ?`, syncId);
    expect(JSON.parse(sync!.errors)).toEqual([expect.stringContaining("mobile number 12345"), expect.stringContaining("alternate email not an email")]);
  });

  it("syncs 10,000 users in pages of 1000, and again unchanged (npm run bench times it)", async () => {
    const people = Array.from({ length: 10_000 }, (_, i) =>
      directoryEntry("bulk", { groups: [`team-${i % 50}`, "everyone"], mobile: i % 3 === 0 ? `+447911${String(i).padStart(6, "0")}` : null, roles: i % 500 === 0 ? ["user", "password_admin"] : ["user"] }),
    );
    const { syncId, answers } = await fullSync(agent.credential, people, { pageSize: 1000 });
    expect(answers.reduce((n, a) => n + a.accepted, 0)).toBe(10_000);
    const again = await fullSync(agent.credential, people, { pageSize: 1000 });
    expect(again.answers.reduce((n, a) => n + a.accepted, 0)).toBe(10_000);
    const [sync] = await all<{ users: number; group_count: number }>(`select users, group_count from directory_syncs where id = ?`, syncId);
    expect(sync!.users).toBe(10_000);
    expect(sync!.group_count).toBe(51);
    const [{ n }] = await all<{ n: number }>(`select count(*) as n from recovery_methods where origin = 'directory' and type = 'sms' and user_id in (select id from users where external_id like 'guid-bulk%')`);
    expect(n).toBe(3334);
    await expectReadModelsExact();
  }, 180_000);
});
