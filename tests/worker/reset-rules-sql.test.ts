import { env } from "cloudflare:workers";
import { afterEach, describe, expect, it } from "vitest";
import { callJson, patchPolicy, seedMethod, seedUser } from "./helpers.js";
import type { SeedMethod, SeedUser } from "./helpers.js";

/**
 * worker/src/resets/rules-sql.ts decides in SQL what registration/status.ts and resets/view.ts decide in
 * JS (issue 13): a start must be accepted exactly when the JS rules say the user may reset, and the
 * audit row must name the reason the JS order gives (unknown, disabled, not enabled, not registered).
 */
type Case = [name: string, policy: unknown, user: SeedUser, methods: SeedMethod[], expected: "started" | "disabled" | "not_enabled" | "not_registered"];

const email: SeedMethod = { type: "email", target: "a@example.com" };
const sms: SeedMethod = { type: "sms", target: "+447700900123" };
const totp: SeedMethod = { type: "totp" };
const questions: SeedMethod = { type: "security_questions" };
const admin = { roles: ["global_admin"] };

const CASES: Case[] = [
  ["a user with an email, default policy", null, {}, [email], "started"],
  ["a disabled user", null, { disabled: true }, [email], "disabled"],
  ["no usable method (pending only)", null, {}, [{ ...email, status: "pending" }], "not_registered"],
  ["security questions alone", { methods: { required: 1, available: ["email", "security_questions"] } }, {}, [questions], "not_registered"],
  ["two required: email and questions", { methods: { required: 2, available: ["email", "security_questions"] } }, {}, [email, questions], "started"],
  ["two required: two emails are one type", { methods: { required: 2 } }, {}, [email, { ...email, target: "b@example.com" }], "not_registered"],
  ["a type the policy no longer offers", { methods: { available: ["sms", "totp"] } }, {}, [email], "not_registered"],
  ["groups: a member", { selfServiceReset: { enabledFor: "selected", groups: ["staff"] } }, { groups: ["x", "staff"] }, [email], "started"],
  ["groups: not a member", { selfServiceReset: { enabledFor: "selected", groups: ["staff"] } }, { groups: ["x"] }, [email], "not_enabled"],
  ["enabled for none", { selfServiceReset: { enabledFor: "none" } }, {}, [email], "not_enabled"],
  ["an admin with one method (the admin policy asks for two)", null, admin, [email], "not_registered"],
  ["an admin with email and SMS", null, admin, [email, sms], "started"],
  ["an admin: questions never count", { methods: { available: ["email", "security_questions"] } }, admin, [email, questions], "not_registered"],
  ["an admin with the admin policy off", { adminPolicy: { enabled: false } }, admin, [email, totp], "not_enabled"],
  ["an admin is not held to the users' selection", { selfServiceReset: { enabledFor: "none" } }, admin, [email, totp], "started"],
];

describe("the start's eligibility in SQL agrees with the JS rules", () => {
  afterEach(async () => {
    await patchPolicy({ selfServiceReset: { enabledFor: "all", groups: [] }, methods: { required: 1, available: ["email", "sms", "totp"] }, adminPolicy: { enabled: true } });
  });

  it.each(CASES)("%s", async (_name, policy, seed, methods, expected) => {
    if (policy) await patchPolicy(policy);
    const user = await seedUser(seed);
    for (const m of methods) await seedMethod(user.id, m);
    const started = await callJson("POST", "/v1/resets", { body: { username: user.username } });
    expect(started.status).toBe(expected === "started" ? 201 : 200);
    const audit = await env.DB.prepare("select outcome, detail from audit_events where subject_id = ? and type = 'reset.started'").bind(user.id).first<{ outcome: string; detail: string }>();
    if (expected === "started") {
      expect(audit).toEqual({ outcome: "success", detail: JSON.stringify({ available: true, resetId: started.body.resetId, purpose: "reset" }) });
      const row = await env.DB.prepare("select methods_required as n from resets where id = ?").bind(started.body.resetId).first<{ n: number }>();
      expect(row!.n).toBe(started.body.methodsRequired);
    } else {
      expect(audit).toEqual({ outcome: "failure", detail: JSON.stringify({ available: false, reason: expected }) });
    }
  });
});
