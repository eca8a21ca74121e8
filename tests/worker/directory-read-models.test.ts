import { env } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import { searchFold } from "../../shared/username.js";
import { pruneAuditLog } from "../../worker/src/maintenance/audit-retention.js";
import { callJson, registerEmail, registerTotp, seedAndSignIn, seedAudit, seedMethod, seedUser, signIn, uniqueName } from "./helpers.js";

/**
 * The read models of migration 0008 (user_labels, users_search, reset_funnel_daily) are kept by
 * triggers; after any mix of writes, through the API and straight into D1, each must equal what a
 * full scan of its source table says. users_search holds each name followed by two U+0001
 * (migration 0012), so a 1-2 character q begins a trigram wherever it occurs.
 */
const DAY = 86_400_000;
let token: string;

beforeAll(async () => {
  ({ token } = await seedAndSignIn({ roles: ["global_admin"] }));
});

const all = async <T>(query: string) => (await env.DB.prepare(query).all<T>()).results;

async function expectUserModelsMatchUsers() {
  const labels = await all(`select kind, value, username, user_id from user_labels order by kind, value, username`);
  const derived = await all(
    `select distinct 'role' as kind, r.value, u.username, u.id as user_id from users u, json_each(u.roles) r
     union select distinct 'group', g.value, u.username, u.id from users u, json_each(u.groups) g order by 1, 2, 3`,
  );
  expect(labels).toEqual(derived);
  const indexed = await all(`select k.user_id, s.username, s.display_name from users_search s join user_search_keys k on k.key = s.rowid order by k.user_id`);
  const source = await all(`select id as user_id, username || char(1, 1) as username, display_name_folded || char(1, 1) as display_name from users order by id`);
  expect(indexed).toEqual(source);
  const keys = await all<{ n: number }>(`select count(*) as n from user_search_keys`);
  expect(keys[0]!.n).toBe(source.length);
}

/** Every page of GET /v1/admin/users?q=, following the cursor: the usernames in the order given. */
async function walk(q: string, limit = 400) {
  const seen: string[] = [];
  let cursor: string | null = null;
  do {
    const page: { status: number; body: { users: { username: string }[]; nextCursor: string | null } } = await callJson(
      "GET",
      `/v1/admin/users?q=${encodeURIComponent(q)}&limit=${limit}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ""}`,
      { token },
    );
    expect(page.status).toBe(200);
    seen.push(...page.body.users.map((u) => u.username));
    cursor = page.body.nextCursor;
  } while (cursor);
  return seen;
}

/** What `q` means (api.md), by reading every user: a substring of the folded username or display name. */
async function fullScan(q: string) {
  const folded = searchFold(q);
  const { results } = await env.DB.prepare(`select username from users where instr(username, ?1) > 0 or instr(display_name_folded, ?1) > 0 order by username`)
    .bind(folded)
    .all<{ username: string }>();
  return results.map((r) => r.username);
}

describe("user read models (user_labels, users_search)", () => {
  it("follow creates, imports, concurrent edits and deletes", async () => {
    const created = await Promise.all(
      [0, 1, 2, 3].map((i) =>
        callJson("POST", "/v1/admin/users", { token, body: { username: uniqueName(`rm${i}`), displayName: `Read Model ${i}`, groups: ["a", "b"], roles: ["user"] } }),
      ),
    );
    for (const c of created) expect(c.status).toBe(201);
    const imported = await callJson("POST", "/v1/admin/users/import", {
      token,
      body: { users: [0, 1, 2].map((i) => ({ username: uniqueName(`imp${i}`), displayName: `Ímported ${i}`, groups: ["b"] })) },
    });
    expect(imported.status).toBe(200);
    expect(imported.body.errors).toEqual([]);
    const ids = created.map((c) => c.body.user.id as string);
    // Concurrent edits of one user and of several: every trigger runs inside its own UPDATE.
    const edits = await Promise.all([
      callJson("PATCH", `/v1/admin/users/${ids[0]}`, { token, body: { groups: ["c"] } }),
      callJson("PATCH", `/v1/admin/users/${ids[0]}`, { token, body: { displayName: "Renamed Zero" } }),
      callJson("PATCH", `/v1/admin/users/${ids[1]}`, { token, body: { roles: ["password_admin"], groups: [] } }),
      callJson("PATCH", `/v1/admin/users/${ids[2]}`, { token, body: { displayName: "Ünïcode Twö", groups: ["a", "d"] } }),
    ]);
    for (const e of edits) expect(e.status).toBe(200);
    expect((await callJson("DELETE", `/v1/admin/users/${ids[3]}`, { token })).status).toBe(204);
    await expectUserModelsMatchUsers();

    const found = await callJson("GET", `/v1/admin/users?q=${encodeURIComponent("TWÖ")}`, { token });
    expect(found.status).toBe(200);
    expect(found.body.users.map((u: { id: string }) => u.id)).toEqual([ids[2]]);
    const admins = await callJson("GET", "/v1/admin/users?role=password_admin", { token });
    expect(admins.body.users.map((u: { id: string }) => u.id)).toEqual([ids[1]]);
    const groupB = await callJson("GET", `/v1/admin/users?group=b&q=${encodeURIComponent("ÍMPORTED")}`, { token });
    expect(groupB.body.users.map((u: { displayName: string }) => u.displayName)).toEqual(["Ímported 0", "Ímported 1", "Ímported 2"]);
    const groupA = await callJson("GET", `/v1/admin/users?group=a&role=user&q=${encodeURIComponent("twö")}`, { token });
    expect(groupA.body.users.map((u: { id: string }) => u.id)).toEqual([ids[2]]);
    const gone = await callJson("GET", "/v1/admin/users?group=a&q=model", { token });
    expect(gone.body.users).toEqual([]);
  });

  it("pages a substring with many matches and one with few the same way: every match once, in username order", async () => {
    // More than 1000 trigram hits takes the username scan; a rarer substring takes the trigram index.
    // Digits only: a letter pair in it (say "yq") would add these users to the next test's exact answers.
    const stem = String(Date.now());
    const insert = env.DB.prepare(
      `insert into users (id, username, display_name, display_name_folded, roles, groups, password_history, created_at) values (?, ?, ?, ?, '["user"]', '["bulk"]', '[]', 0)`,
    );
    const names: string[] = [];
    for (let start = 0; start < 1100; start += 100) {
      await env.DB.batch(
        Array.from({ length: 100 }, (_, j) => {
          const i = start + j;
          const username = `bulk-${stem}-${String(i).padStart(4, "0")}@example.com`;
          names.push(username);
          const display = `Hitz Person ${i}`;
          return insert.bind(`usr_bulk_${stem}_${i}`, username, display, searchFold(display));
        }),
      );
    }
    expect(await walk("HITZ")).toEqual(names);
    expect(await walk("hitz person 10")).toEqual(names.filter((_, i) => String(i).startsWith("10")));
    expect(await walk(`${stem}-000`)).toEqual(names.slice(0, 10));
    expect(await walk("z p")).toEqual(names);
    // 1-2 characters: over 1000 hits ("0", "hi") takes the username scan, a rare pair the term range.
    for (const q of ["0", "HI", "z", stem.slice(-2)]) expect(await walk(q)).toEqual(await fullScan(q));
    await expectUserModelsMatchUsers();
  });

  it("finds every user holding a 1-2 character q: at a name's end, in names of 1-2 characters, past ASCII", async () => {
    // Few distinct characters, so the test can try every substring; a 1-character username and an empty display name too.
    const people = [
      { username: "yq", displayName: "Qz" },
      { username: "ø", displayName: "Bjørn Ø" },
      { username: "x-y", displayName: "X" },
      { username: "zz", displayName: "Zoë Ängström" },
      { username: "q-y", displayName: "" },
      // The highest character twice after "ж": the last trigram that begins with "ж".
      { username: "top-of-range", displayName: "ж\u{10FFFF}\u{10FFFF}" },
    ];
    const seeded = await Promise.all(people.map((p) => seedUser(p)));
    // A rename re-indexes through the update trigger.
    expect((await callJson("PATCH", `/v1/admin/users/${seeded[4]!.id}`, { token, body: { displayName: "Renamed Yq" } })).status).toBe(200);
    // A whole 2-character username and the end of a display name, one page each.
    expect(await walk("YQ", 1)).toEqual(["q-y", "yq"]);
    // Every 1-2 character substring of these names (folded), and a pair no one holds.
    const grams = new Set<string>(["\u{1F600}", "qq"]);
    for (const p of [...people.map((x) => x.username), ...people.map((x) => searchFold(x.displayName)), "renamed yq"]) {
      const chars = [...p];
      chars.forEach((c, i) => {
        grams.add(c);
        if (i + 1 < chars.length) grams.add(c + chars[i + 1]);
      });
    }
    for (const q of grams) {
      const expected = await fullScan(q);
      // Small pages for rare ones, so the cursor is followed on the term-range path too.
      expect({ q, found: await walk(q, expected.length < 30 ? 3 : 400) }).toEqual({ q, found: expected });
    }
    await expectUserModelsMatchUsers();
  }, 60_000);
});

describe("reset_funnel_daily", () => {
  const START = Date.UTC(2022, 5, 1);
  const funnel = `('reset.started', 'reset.challenge_sent', 'reset.verify_failed', 'reset.verified', 'reset.completed', 'reset.blocked')`;
  const fromCounters = () =>
    all(`select day, type, method, reason, available, n from reset_funnel_daily where n > 0 order by day, type, method, reason, available`);
  const fromAudit = () =>
    all(`select at / ${DAY} as day, type, coalesce(json_extract(detail, '$.methodType'), '') as method, coalesce(json_extract(detail, '$.reason'), '') as reason,
           coalesce(json_extract(detail, '$.available'), -1) as available, count(*) as n
         from audit_events where type in ${funnel} group by 1, 2, 3, 4, 5 order by 1, 2, 3, 4, 5`);

  it("equals a full count of the audit log after concurrent inserts and a pruning", async () => {
    const rows = Array.from({ length: 240 }, (_, i) => {
      const at = START + i * 7_200_000 + (i % 5) * 1000; // 20 days, 12 events a day
      const kinds = [
        { type: "reset.started", detail: { available: true } },
        { type: "reset.started", detail: { available: false, reason: "unknown_user" } },
        { type: "reset.challenge_sent", detail: { methodType: "email" } },
        { type: "reset.verify_failed", detail: { methodType: "sms", reason: "invalid_code" } },
        { type: "reset.verified", detail: { methodType: "totp" } },
        { type: "reset.completed", detail: {} },
        { type: "reset.blocked", detail: { reason: "verify_failures" } },
        { type: "session.created", detail: {} },
      ];
      return { at, ...kinds[i % kinds.length]! };
    });
    await Promise.all([0, 1, 2, 3].map((k) => seedAudit(rows.filter((_, i) => i % 4 === k))));
    // Requests through the API write funnel rows too (an unknown user's start).
    await Promise.all([0, 1, 2].map(() => callJson("POST", "/v1/resets", { body: { username: uniqueName("nobody") } })));
    expect(await fromCounters()).toEqual(await fromAudit());

    expect(await pruneAuditLog(env.DB, START + 30 * DAY, 20)).toBeGreaterThan(0);
    expect(await fromCounters()).toEqual(await fromAudit());
  });

  it("gives the report a full scan gives, for windows that start and end inside a day", async () => {
    await seedAudit([
      { type: "reset.started", at: START + 40 * DAY + 5, detail: { available: true } },
      { type: "reset.challenge_sent", at: START + 41 * DAY - 1, detail: { methodType: "email" } },
      { type: "reset.verified", at: START + 42 * DAY + 3_600_000, detail: { methodType: "email" } },
      { type: "reset.completed", at: START + 43 * DAY + 7_200_000 },
    ]);
    const report = (since: number, until: number) =>
      callJson("GET", `/v1/admin/reports/resets?since=${new Date(since).toISOString()}&until=${new Date(until).toISOString()}`, { token });
    for (const [since, until] of [
      [START + 40 * DAY + 5, START + 43 * DAY + 7_200_000], // starts on an event, ends just before one
      [START + 40 * DAY + 6, START + 43 * DAY + 7_200_001],
      [START + 41 * DAY - 1, START + 42 * DAY + 3_600_001], // inside two partial days, no whole day
      [START - 3 * DAY + 1, START + 50 * DAY - 1],
    ] as const) {
      const { status, body } = await report(since, until);
      expect(status).toBe(200);
      const raw = await all<{ type: string; n: number }>(
        `select type, count(*) as n from audit_events where type in ${funnel} and at >= ${since} and at < ${until} group by type`,
      );
      const n = (type: string) => raw.find((r) => r.type === type)?.n ?? 0;
      expect([body.started, body.challengesSent, body.verified, body.completed, body.blocked]).toEqual(
        ["reset.started", "reset.challenge_sent", "reset.verified", "reset.completed", "reset.blocked"].map(n),
      );
    }
  });
});

it("a user seeded straight into D1 is indexed like one created through the API", async () => {
  const user = await seedUser({ displayName: "Straight Seeded" });
  const { status, body } = await callJson("GET", "/v1/admin/users?q=straight%20s", { token });
  expect(status).toBe(200);
  expect(body.users.map((u: { id: string }) => u.id)).toEqual([user.id]);
});

describe("registration_buckets", () => {
  const fromBuckets = () => all(`select is_admin, disabled, groups, mask, n from registration_buckets where n > 0 order by 1, 2, 3, 4`);
  const fromUsers = () =>
    all(`select exists (select 1 from json_each(u.roles) where value in ('global_admin', 'password_admin')) as is_admin, u.disabled, u.groups,
           coalesce((select sum(bit) from (select distinct case m.type when 'email' then 1 when 'sms' then 2 when 'totp' then 4 when 'security_questions' then 8 end as bit
             from recovery_methods m where m.user_id = u.id and m.status = 'active')), 0) as mask, count(*) as n
         from users u group by 1, 2, 3, 4 order by 1, 2, 3, 4`);

  it("equal a full count of users and methods after a mix of concurrent changes", async () => {
    const people = await Promise.all([0, 1, 2, 3, 4].map((i) => seedUser({ groups: i % 2 ? ["x"] : ["y", "x"] })));
    const tokens = await Promise.all(people.map((p) => signIn(p.username, p.password)));
    // Self-service registration (pending, then verified), seeded methods, admin edits, all at once.
    await Promise.all([
      registerEmail(tokens[0]!),
      registerTotp(tokens[0]!),
      registerEmail(tokens[1]!),
      seedMethod(people[2]!.id, { type: "sms" }),
      seedMethod(people[2]!.id, { type: "sms" }),
      seedMethod(people[3]!.id, { type: "email", status: "pending" }),
      callJson("PATCH", `/v1/admin/users/${people[4]!.id}`, { token, body: { roles: ["password_admin"], groups: ["z"] } }),
      callJson("PATCH", `/v1/admin/users/${people[3]!.id}`, { token, body: { disabled: true } }),
    ]);
    expect(await fromBuckets()).toEqual(await fromUsers());

    const removed = await callJson("DELETE", `/v1/admin/users/${people[0]!.id}/methods`, { token });
    expect(removed.status).toBe(204);
    const own = await callJson("GET", "/v1/me/methods", { token: tokens[1]! });
    await Promise.all([
      callJson("DELETE", `/v1/me/methods/${own.body.methods[0].id}`, { token: tokens[1]! }),
      callJson("DELETE", `/v1/admin/users/${people[2]!.id}`, { token }),
      callJson("PATCH", `/v1/admin/users/${people[4]!.id}`, { token, body: { roles: ["user"] } }),
    ]);
    await env.DB.prepare(`update recovery_methods set status = 'active' where user_id = ?`).bind(people[3]!.id).run();
    await env.DB.prepare(`update recovery_methods set user_id = ? where user_id = ?`).bind(people[4]!.id, people[3]!.id).run();
    expect(await fromBuckets()).toEqual(await fromUsers());
  });
});
