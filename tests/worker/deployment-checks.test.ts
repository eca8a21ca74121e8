import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { DEFAULT_POLICY } from "../../shared/policy/defaults.js";
import { checkDeployment } from "../../worker/src/health/deployment-checks.js";
import { callJson, seedAndSignIn } from "./helpers.js";

const ready = {
  env: {
    ...env,
    SECRET_KEY: "k".repeat(48),
    SETUP_TOKEN: undefined,
    ALLOWED_ORIGINS: "chrome-extension://abcdefghijklmnopabcdefghijklmnop",
    EMAIL_TRANSPORT: "smtp",
    SMS_TRANSPORT: "none",
  } as Env,
  policy: { ...DEFAULT_POLICY, methods: { ...DEFAULT_POLICY.methods, available: ["email", "totp"] as ("email" | "sms" | "totp")[] }, signInPages: ["https://login.example.com/*"] },
  globalAdminExists: true,
  agentsEnrolled: false,
  agentConnected: false,
};
const failing = (f: typeof ready) => checkDeployment(f).filter((c) => !c.ok).map((c) => c.id);

describe("deployment checks (issue 16: what a first deploy misses)", () => {
  it("pass for a deployment that has everything", () => {
    expect(failing(ready)).toEqual([]);
  });

  it.each([
    ["secret_key", { env: { ...ready.env, SECRET_KEY: "short" } }],
    ["first_admin", { globalAdminExists: false }],
    ["setup_token_removed", { env: { ...ready.env, SETUP_TOKEN: "still-here" } }],
    ["allowed_origins", { env: { ...ready.env, ALLOWED_ORIGINS: "https://intranet.example.com" } }],
    ["email_transport", { env: { ...ready.env, EMAIL_TRANSPORT: "none" } }],
    ["sms_transport", { policy: { ...ready.policy, methods: { ...ready.policy.methods, available: ["email", "sms"] as ("email" | "sms" | "totp")[] } } }],
    ["sign_in_pages", { policy: { ...ready.policy, signInPages: [] } }],
    ["directory_agent", { agentsEnrolled: true, agentConnected: false }],
  ] as const)("%s fails alone, with a message that says what to do", (id, change) => {
    const checks = checkDeployment({ ...ready, ...change } as typeof ready);
    expect(checks.filter((c) => !c.ok).map((c) => c.id)).toEqual([id]);
    expect(checks.find((c) => c.id === id)!.message.length).toBeGreaterThan(30);
  });

  it("a first admin created with the setup token passes first_admin", () => {
    expect(failing({ ...ready, globalAdminExists: false, env: { ...ready.env, SETUP_TOKEN: "t".repeat(20) } })).toEqual([]);
  });
});

describe("GET /healthz", () => {
  it("answers anyone with the contract's plain body", async () => {
    const res = await callJson("GET", "/healthz");
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ status: "ok" });
  });

  it("adds the checks for an admin, and only for an admin", async () => {
    const admin = await seedAndSignIn({ roles: ["global_admin"] });
    const withChecks = await callJson("GET", "/healthz", { token: admin.token });
    expect(withChecks.status).toBe(200);
    const failed = withChecks.body.checks.filter((c: { ok: boolean }) => !c.ok).map((c: { id: string }) => c.id);
    // The test pool runs with wrangler.toml's vars: no extension origin, no email transport.
    expect(failed).toEqual(expect.arrayContaining(["allowed_origins", "email_transport"]));
    expect(failed).not.toContain("secret_key");

    const user = await seedAndSignIn();
    expect((await callJson("GET", "/healthz", { token: user.token })).body).toEqual({ status: "ok" });
    expect((await callJson("GET", "/healthz", { token: "not-a-token" })).body).toEqual({ status: "ok" });
  });
});
