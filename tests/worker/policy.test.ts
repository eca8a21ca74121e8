import { describe, expect, it } from "vitest";
import { call, callJson, seedAndSignIn } from "./helpers.js";

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
});
