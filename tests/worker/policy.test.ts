import { env } from "cloudflare:workers";
import { drizzle } from "drizzle-orm/d1";
import { describe, expect, it } from "vitest";
import { POLICY_WRITE_RETRIES, updatePolicy } from "../../worker/src/flows/policy-update.js";
import { currentPolicyQuery, policyFromRow } from "../../worker/src/policy/store.js";
import { call, callJson, seedAndSignIn, seedMethod, seedUser } from "./helpers.js";

const admin = () => seedAndSignIn({ roles: ["global_admin"] });

async function currentPolicy(token: string) {
  const { status, body, res } = await callJson("GET", "/v1/admin/policy", { token });
  expect(status).toBe(200);
  return { policy: body, etag: res.headers.get("etag")! };
}

function settingsOf(policy: any) {
  const { version: _v, updatedAt: _u, adminPolicy, ...rest } = policy;
  return { ...rest, adminPolicy: { enabled: adminPolicy.enabled } };
}

describe("policy", () => {
  it("shows the fixed admin policy", async () => {
    const { token } = await admin();
    const { policy } = await currentPolicy(token);
    expect(policy.adminPolicy).toEqual({ enabled: expect.any(Boolean), methodsRequired: 2, methodsAvailable: ["email", "sms", "totp"] });
    expect(policy.passwordPolicy.minLength).toBeGreaterThanOrEqual(8);
  });

  it("saves a change over a questions method whose stored answers cannot be read, and sets that method pending", async () => {
    const { token } = await admin();
    const user = await seedUser();
    const id = await seedMethod(user.id, { type: "security_questions" });
    await env.DB.prepare("update recovery_methods set secret = ? where id = ?").bind('["not", "answers"]', id).run();
    const { etag } = await currentPolicy(token);
    const saved = await callJson("PATCH", "/v1/admin/policy", { token, body: { orgName: "Answers Unreadable Ltd" }, headers: { "If-Match": etag } });
    expect(saved.status).toBe(200);
    expect(await env.DB.prepare("select status from recovery_methods where id = ?").bind(id).first("status")).toBe("pending");
  });

  it("is readable by a password admin but writable only by a global admin", async () => {
    const pa = await seedAndSignIn({ roles: ["password_admin"] });
    expect((await call("GET", "/v1/admin/policy", { token: pa.token })).status).toBe(200);
    const patch = await callJson("PATCH", "/v1/admin/policy", { token: pa.token, body: { orgName: "Nope" } });
    expect(patch.status).toBe(403);
    expect(patch.body.error.code).toBe("forbidden");
    const user = await seedAndSignIn();
    expect((await call("GET", "/v1/admin/policy", { token: user.token })).status).toBe(403);
    expect((await call("GET", "/v1/admin/policy")).status).toBe(401);
  });

  it("PATCH merges objects, replaces arrays, bumps the version and shows in /v1/config", async () => {
    const { token } = await admin();
    const { policy: before } = await currentPolicy(token);
    const { status, body } = await callJson("PATCH", "/v1/admin/policy", {
      token,
      body: { orgName: "Contoso", passwordPolicy: { minLength: 12 }, signInPages: ["https://login.contoso.com/*"] },
    });
    expect(status).toBe(200);
    expect(body.version).toBe(before.version + 1);
    expect(body.orgName).toBe("Contoso");
    expect(body.passwordPolicy).toEqual({ ...before.passwordPolicy, minLength: 12 });
    expect(body.signInPages).toEqual(["https://login.contoso.com/*"]);
    const config = await callJson("GET", "/v1/config");
    expect(config.body.orgName).toBe("Contoso");
    expect(config.body.passwordPolicy).not.toHaveProperty("bannedWords");
  });

  it("PUT replaces the whole policy and requires every field", async () => {
    const { token } = await admin();
    const { policy } = await currentPolicy(token);
    const settings = settingsOf(policy);
    const ok = await callJson("PUT", "/v1/admin/policy", { token, body: { ...settings, helpdesk: { url: "https://help.contoso.com", email: "help@contoso.com" } } });
    expect(ok.status).toBe(200);
    expect(ok.body.helpdesk).toEqual({ url: "https://help.contoso.com", email: "help@contoso.com" });
    const { lockout: _dropped, ...partial } = settings;
    const missing = await callJson("PUT", "/v1/admin/policy", { token, body: partial });
    expect(missing.status).toBe(400);
    expect(missing.body.error.details).toContainEqual({ path: "lockout", message: "Required." });
  });

  it.each([
    ["a range", { passwordPolicy: { minLength: 7 } }, "passwordPolicy.minLength"],
    ["numberToReset above numberToRegister", { securityQuestions: { numberToRegister: 3, numberToReset: 4 } }, "securityQuestions.numberToReset"],
    ["fewer types than required", { methods: { required: 2, available: ["email"] } }, "methods.available"],
    ["security questions alone", { methods: { required: 1, available: ["security_questions"] } }, "methods.available"],
    ["an http helpdesk URL", { helpdesk: { url: "http://help.example" } }, "helpdesk.url"],
    ["a bad match pattern", { signInPages: ["not a pattern"] }, "signInPages.0"],
    ["a sign-in page pattern for every website", { signInPages: ["https://login.contoso.com/*", "*://*/*"] }, "signInPages.1"],
    ["<all_urls> as a sign-in page", { signInPages: ["<all_urls>"] }, "signInPages.0"],
    ["null where not nullable", { orgName: null }, "orgName"],
    ["an unknown field", { colour: "blue" }, "colour"],
    ["editing the fixed admin policy", { adminPolicy: { methodsRequired: 1 } }, "adminPolicy.methodsRequired"],
    ["duplicate custom question ids", { securityQuestions: { custom: [{ id: "pet", text: "First pet?" }, { id: "pet", text: "Pet again?" }] } }, "securityQuestions.custom"],
  ])("rejects %s with 400 and the path, writing nothing", async (_name, patch, path) => {
    const { token } = await admin();
    const { policy: before } = await currentPolicy(token);
    const { status, body } = await callJson("PATCH", "/v1/admin/policy", { token, body: patch });
    expect(status).toBe(400);
    expect(body.error.code).toBe("invalid_request");
    expect(body.error.details.map((d: { path: string }) => d.path)).toContain(path);
    const { policy: after } = await currentPolicy(token);
    expect(after.version).toBe(before.version);
  });

  it("refuses a PUT whose sign-in pages match every website", async () => {
    const { token } = await admin();
    const { policy } = await currentPolicy(token);
    const { status, body } = await callJson("PUT", "/v1/admin/policy", { token, body: { ...settingsOf(policy), signInPages: ["https://*/*"] } });
    expect(status).toBe(400);
    expect(body.error.code).toBe("invalid_request");
    expect(body.error.details).toContainEqual({ path: "signInPages.0", message: expect.stringContaining("every website") });
  });

  it("sets a nullable field to null with PATCH", async () => {
    const { token } = await admin();
    await callJson("PATCH", "/v1/admin/policy", { token, body: { helpdesk: { email: "help@contoso.com" } } });
    const { status, body } = await callJson("PATCH", "/v1/admin/policy", { token, body: { helpdesk: { email: null } } });
    expect(status).toBe(200);
    expect(body.helpdesk.email).toBeNull();
  });

  it("answers a stale If-Match with 412 and accepts the current one", async () => {
    const { token } = await admin();
    const { policy, etag } = await currentPolicy(token);
    expect(etag).toBe(`"${policy.version}"`);
    const ok = await callJson("PATCH", "/v1/admin/policy", { token, headers: { "if-match": etag }, body: { orgName: "First" } });
    expect(ok.status).toBe(200);
    const stale = await callJson("PATCH", "/v1/admin/policy", { token, headers: { "if-match": etag }, body: { orgName: "Second" } });
    expect(stale.status).toBe(412);
    expect(stale.body.error.code).toBe("version_conflict");
    // `If-Match: *` names no version (RFC 9110): the write goes to whatever version is current.
    const any = await callJson("PATCH", "/v1/admin/policy", { token, headers: { "if-match": "*" }, body: { orgName: "Third" } });
    expect(any.status).toBe(200);
    expect(any.body.orgName).toBe("Third");
  });

  it("lets exactly one of concurrent writers on the same version win", async () => {
    const { token } = await admin();
    const { etag } = await currentPolicy(token);
    const answers = await Promise.all(
      Array.from({ length: 8 }, (_, i) => callJson("PATCH", "/v1/admin/policy", { token, headers: { "if-match": etag }, body: { orgName: `Writer ${i}` } })),
    );
    expect(answers.filter((a) => a.status === 200)).toHaveLength(1);
    expect(answers.filter((a) => a.status === 412)).toHaveLength(7);
  });

  it("audits every change with the old and new value", async () => {
    const { token, id } = await admin();
    const { policy: before } = await currentPolicy(token);
    await callJson("PATCH", "/v1/admin/policy", { token, body: { registration: { skipsAllowed: 5 } } });
    const { env } = await import("cloudflare:workers");
    const row = await env.DB.prepare("select detail from audit_events where type = 'policy.updated' and actor_id = ? order by seq desc limit 1").bind(id).first<{ detail: string }>();
    const detail = JSON.parse(row!.detail);
    expect(detail.old.registration.skipsAllowed).toBe(before.registration.skipsAllowed);
    expect(detail.new.registration.skipsAllowed).toBe(5);
    expect(detail.toVersion).toBe(before.version + 1);
  });

  describe("concurrent writers without If-Match (no optimistic locking asked for)", () => {
    async function auditRows(actorId: string) {
      const { results } = await env.DB.prepare("select detail from audit_events where type = 'policy.updated' and actor_id = ? order by seq")
        .bind(actorId)
        .all<{ detail: string }>();
      return results.map((r) => JSON.parse(r.detail));
    }

    async function storedSettings(version: number) {
      const row = await env.DB.prepare("select settings from policies where version = ?").bind(version).first<{ settings: string }>();
      return JSON.parse(row!.settings);
    }

    it("applies six parallel PATCHes one after another: all 200, six consecutive versions, each audited against the version it replaced", async () => {
      const { token, id } = await admin();
      const { policy: before } = await currentPolicy(token);
      const answers = await Promise.all(
        Array.from({ length: 6 }, (_, i) => callJson("PATCH", "/v1/admin/policy", { token, body: { orgName: `Parallel ${i}` } })),
      );
      expect(answers.map((a) => a.status)).toEqual([200, 200, 200, 200, 200, 200]);
      const versions = answers.map((a) => a.body.version).sort((a, b) => a - b);
      expect(versions).toEqual([1, 2, 3, 4, 5, 6].map((n) => before.version + n));
      for (const a of answers) expect(a.res.headers.get("etag")).toBe(`"${a.body.version}"`);

      const rows = await auditRows(id);
      expect(rows).toHaveLength(6);
      expect(rows.map((r) => r.toVersion).sort((a, b) => a - b)).toEqual(versions);
      for (const row of rows) {
        expect(row.fromVersion).toBe(row.toVersion - 1);
        // The old value is what the replaced version really held, not the version first read.
        expect(row.old).toEqual(await storedSettings(row.fromVersion));
        expect(row.new).toEqual(await storedSettings(row.toVersion));
      }
      const { policy: after } = await currentPolicy(token);
      expect(after.version).toBe(before.version + 6);
      expect(after.orgName).toBe(answers.find((a) => a.body.version === after.version)!.body.orgName);
    });

    it("re-applies a losing PATCH to the newer policy, so parallel changes to different fields all survive", async () => {
      const { token } = await admin();
      const { policy: before } = await currentPolicy(token);
      const patches = [
        { orgName: "Merged Org" },
        { registration: { skipsAllowed: before.registration.skipsAllowed === 7 ? 6 : 7 } },
        { helpdesk: { url: "https://help.merged.example" } },
        { passwordPolicy: { historyCount: before.passwordPolicy.historyCount === 9 ? 8 : 9 } },
      ];
      const answers = await Promise.all(patches.map((body) => callJson("PATCH", "/v1/admin/policy", { token, body })));
      expect(answers.map((a) => a.status)).toEqual([200, 200, 200, 200]);
      const { policy: after } = await currentPolicy(token);
      expect(after.version).toBe(before.version + 4);
      expect(after.orgName).toBe("Merged Org");
      expect(after.registration.skipsAllowed).toBe(patches[1]!.registration!.skipsAllowed);
      expect(after.helpdesk.url).toBe("https://help.merged.example");
      expect(after.passwordPolicy.historyCount).toBe(patches[3]!.passwordPolicy!.historyCount);
    });

    it("lets parallel PUTs all apply too", async () => {
      const { token } = await admin();
      const { policy } = await currentPolicy(token);
      const settings = settingsOf(policy);
      const answers = await Promise.all(
        Array.from({ length: 4 }, (_, i) => callJson("PUT", "/v1/admin/policy", { token, body: { ...settings, orgName: `Put ${i}` } })),
      );
      expect(answers.map((a) => a.status)).toEqual([200, 200, 200, 200]);
      expect(answers.map((a) => a.body.version).sort((a, b) => a - b)).toEqual([1, 2, 3, 4].map((n) => policy.version + n));
    });

    it("still answers 412 when a stale If-Match is sent alongside writers without one", async () => {
      const { token } = await admin();
      const { etag } = await currentPolicy(token);
      expect((await callJson("PATCH", "/v1/admin/policy", { token, body: { orgName: "Moved on" } })).status).toBe(200);
      const [stale, free] = await Promise.all([
        callJson("PATCH", "/v1/admin/policy", { token, headers: { "if-match": etag }, body: { orgName: "Stale" } }),
        callJson("PATCH", "/v1/admin/policy", { token, body: { orgName: "Free" } }),
      ]);
      expect(stale.status).toBe(412);
      expect(stale.body.error.code).toBe("version_conflict");
      expect(free.status).toBe(200);
    });

    it("costs two D1 round trips when uncontended", async () => {
      const { token } = await admin();
      const res = await call("PATCH", "/v1/admin/policy", { token, body: { orgName: "Cheap" } });
      expect(res.status).toBe(200);
      expect(res.headers.get("server-timing")).toMatch(/^d1;desc="2 round trips"/);
    });

    it(`gives up with 409 conflict after ${POLICY_WRITE_RETRIES} retries that all lose, writing nothing of its own`, async () => {
      const { id } = await admin();
      const rivalVersions: number[] = [];
      // A D1 whose every batch is beaten by a rival writer taking the next version first.
      const contended = {
        prepare: (query: string) => env.DB.prepare(query),
        batch: async (statements: D1PreparedStatement[]) => {
          const rival = await env.DB.prepare(
            "insert into policies (version, settings, updated_at, updated_by) values ((select coalesce(max(version), 0) + 1 from policies), ?, ?, 'rival') returning version",
          )
            .bind(JSON.stringify({ orgName: "Rival" }), Date.now())
            .first<{ version: number }>();
          rivalVersions.push(rival!.version);
          return env.DB.batch(statements);
        },
        exec: (query: string) => env.DB.exec(query),
        dump: () => env.DB.dump(),
      } as unknown as D1Database;
      const db = drizzle(contended) as any;
      const [row] = await currentPolicyQuery(db);
      const error = await updatePolicy({
        db,
        now: Date.now(),
        ip: null,
        actorId: id,
        current: policyFromRow(row),
        ifMatch: undefined,
        change: (current) => ({ ...current, orgName: "Never" }),
      }).catch((e) => e);
      expect(error).toMatchObject({ status: 409, code: "conflict" });
      expect(rivalVersions).toHaveLength(POLICY_WRITE_RETRIES + 1);
      expect(await auditRows(id)).toHaveLength(0);
      const [latest] = await currentPolicyQuery(db);
      expect(latest!.version).toBe(rivalVersions.at(-1));
      expect(policyFromRow(latest).orgName).not.toBe("Never");
    });
  });
});
