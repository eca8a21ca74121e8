import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { call, callJson, latestCode, patchPolicy, registerEmail, seedAndSignIn, seedUser, setClock, signIn, STRONG_PASSWORD, totpCode, uniqueName } from "./helpers.js";
import { challenge, NEW_PASSWORD, registeredUser, setPassword, verify } from "./reset-client.js";

async function start(username: string) {
  const r = await callJson("POST", "/v1/resets", { body: { username } });
  return r;
}


async function verifyByEmail(reset: any, method: { id: string; email: string }) {
  const sent = await challenge(reset, method.id);
  expect(sent.status).toBe(202);
  return verify(reset, { methodId: method.id, code: await latestCode(method.email) });
}

describe("reset with one method", () => {
  it("runs start → email code → verify → new password, and the new password works", async () => {
    const u = await registeredUser();
    const started = await start(u.username.toUpperCase());
    expect(started.status).toBe(201);
    const reset = started.body;
    expect(reset).toMatchObject({ status: "verifying", methodsRequired: 1, verifiedMethodIds: [], methods: [{ id: u.email.id, type: "email", hint: expect.stringContaining("•••") }] });
    expect(reset.resetToken).toMatch(/^[a-z2-7]{52}$/);
    expect(Date.parse(reset.expiresAt) - Date.now()).toBeGreaterThan(14 * 60_000);

    const sent = await challenge(reset, u.email.id);
    expect(sent.body.challenge).toMatchObject({ methodId: u.email.id, type: "email" });
    const verified = await verify(reset, { methodId: u.email.id, code: await latestCode(u.email.email) });
    expect(verified.status).toBe(200);
    expect(verified.body).toMatchObject({ status: "verified", verifiedMethodIds: [u.email.id] });
    expect(verified.body).not.toHaveProperty("resetToken");

    const done = await setPassword(reset);
    expect(done.status).toBe(200);
    expect(done.body.status).toBe("completed");
    expect((await call("GET", "/v1/me", { token: u.token })).status).toBe(401);
    expect((await call("POST", "/v1/sessions", { body: { username: u.username, password: STRONG_PASSWORD } })).status).toBe(401);
    expect(await signIn(u.username, NEW_PASSWORD)).toBeTruthy();
    expect((await setPassword(reset, "Another-Long-Passphrase-77")).status).toBe(409);
  });

  it("notifies every active email, without the password", async () => {
    const u = await registeredUser();
    const reset = (await start(u.username)).body;
    await verifyByEmail(reset, u.email);
    expect((await setPassword(reset)).status).toBe(200);
    const { body } = await callJson("GET", `/v1/dev/outbox?to=${encodeURIComponent(u.email.email)}`);
    const notice = body.messages[0];
    expect(notice.subject).toContain("password was reset");
    expect(notice.body).toContain("If this wasn't you");
    expect(notice.body).not.toContain(NEW_PASSWORD);
    expect(notice.code).toBeNull();
  });

  it("notifies an active email the policy no longer offers for resets too: it is still the user's address", async () => {
    const u = await registeredUser({ totp: true });
    await patchPolicy({ methods: { available: ["sms", "totp"] } });
    try {
      const reset = (await start(u.username)).body;
      expect(reset.methods.map((m: { type: string }) => m.type)).toEqual(["totp"]);
      expect((await verify(reset, { methodId: u.totp!.id, code: await totpCode(u.totp!.secret) })).status).toBe(200);
      expect((await setPassword(reset)).status).toBe(200);
      const { body } = await callJson("GET", `/v1/dev/outbox?to=${encodeURIComponent(u.email.email)}`);
      expect(body.messages[0].subject).toContain("password was reset");
    } finally {
      await patchPolicy({ methods: { available: ["email", "sms", "totp"] } });
    }
  });

  it("rejects a weak password with every failed rule and keeps the reset usable", async () => {
    const u = await registeredUser();
    const reset = (await start(u.username)).body;
    await verifyByEmail(reset, u.email);
    const weak = await setPassword(reset, "password1");
    expect(weak.status).toBe(422);
    expect(weak.body.error.code).toBe("password_policy");
    expect(weak.body.error.details.map((d: any) => d.rule)).toEqual(expect.arrayContaining(["min_length", "common"]));
    expect((await setPassword(reset)).status).toBe(200);
  });

  it("refuses the password before verification with 409 not_verified", async () => {
    const u = await registeredUser();
    const reset = (await start(u.username)).body;
    const r = await setPassword(reset);
    expect(r.status).toBe(409);
    expect(r.body.error.code).toBe("not_verified");
  });

  it("authenticates with the reset's own token only", async () => {
    const a = await registeredUser();
    const b = await registeredUser();
    const ra = (await start(a.username)).body;
    const rb = (await start(b.username)).body;
    expect((await call("GET", `/v1/resets/${ra.resetId}`, { token: rb.resetToken })).status).toBe(401);
    expect((await call("GET", `/v1/resets/${ra.resetId}`)).status).toBe(401);
    const own = await callJson("GET", `/v1/resets/${ra.resetId}`, { token: ra.resetToken });
    expect(own.status).toBe(200);
    expect(own.body.resetId).toBe(ra.resetId);
    expect((await challenge(ra, b.email.id)).status).toBe(404);
  });

  it("expires after 15 minutes", async () => {
    const u = await registeredUser();
    const reset = (await start(u.username)).body;
    try {
      await setClock(15 * 60 + 1);
      const r = await callJson("GET", `/v1/resets/${reset.resetId}`, { token: reset.resetToken });
      expect(r.status).toBe(410);
      expect(r.body.error.code).toBe("reset_expired");
    } finally {
      await setClock(0);
    }
  });
});

describe("every method type", () => {
  it("verifies with an authenticator code, once per step", async () => {
    const u = await registeredUser({ totp: true });
    const reset = (await start(u.username)).body;
    expect(reset.methods.map((m: any) => m.type).sort()).toEqual(["email", "totp"]);
    const code = await totpCode(u.totp!.secret);
    expect((await challenge(reset, u.totp!.id)).status).toBe(202);
    const ok = await verify(reset, { methodId: u.totp!.id, code });
    expect(ok.status).toBe(200);
    expect(ok.body.status).toBe("verified");
    const again = (await start(u.username)).body;
    const replay = await verify(again, { methodId: u.totp!.id, code });
    expect(replay.status).toBe(400);
    expect(replay.body.error.code).toBe("invalid_code");
  });

  it("verifies with an SMS code", async () => {
    const u = await seedAndSignIn();
    const added = await callJson("POST", "/v1/me/methods", { token: u.token, body: { type: "sms", phone: "+1 415 555 2671" } });
    const phone = "+14155552671";
    await callJson("POST", `/v1/me/methods/${added.body.method.id}/verify`, { token: u.token, body: { code: await latestCode(phone) } });
    const reset = (await start(u.username)).body;
    try {
      await setClock(61);
      expect((await challenge(reset, added.body.method.id)).status).toBe(202);
      const ok = await verify(reset, { methodId: added.body.method.id, code: await latestCode(phone) });
      expect(ok.status).toBe(200);
    } finally {
      await setClock(0);
    }
  });
});

describe("reset with two methods", () => {
  it("needs two methods of different types, then sets the password", async () => {
    await patchPolicy({ methods: { required: 2, available: ["email", "sms", "totp", "security_questions"] } });
    try {
      const u = await registeredUser({ totp: true });
      const second = await registerEmail(u.token);
      const reset = (await start(u.username)).body;
      expect(reset.methodsRequired).toBe(2);
      const first = await verifyByEmail(reset, u.email);
      expect(first.body).toMatchObject({ status: "verifying", verifiedMethodIds: [u.email.id] });
      expect((await challenge(reset, second.id)).status).toBe(409);
      expect((await setPassword(reset)).status).toBe(409);
      const totp = await verify(reset, { methodId: u.totp!.id, code: await totpCode(u.totp!.secret) });
      expect(totp.status).toBe(200);
      expect(totp.body.status).toBe("verified");
      expect((await setPassword(reset)).status).toBe(200);
    } finally {
      await patchPolicy({ methods: { required: 1, available: ["email", "sms", "totp"] } });
    }
  });

  it("accepts security questions as the second method and re-draws after a wrong answer", async () => {
    await patchPolicy({ methods: { required: 2, available: ["email", "sms", "totp", "security_questions"] }, securityQuestions: { numberToRegister: 4, numberToReset: 3 } });
    try {
      const u = await registeredUser();
      const answers: Record<string, string> = { "first-pet": "Rex", "first-teacher": "Smith", "first-car": "Fiat Panda", "first-concert": "Blur" };
      const put = await callJson("PUT", "/v1/me/security-questions", { token: u.token, body: { answers: Object.entries(answers).map(([questionId, answer]) => ({ questionId, answer })) } });
      expect(put.status).toBe(200);
      const reset = (await start(u.username)).body;
      const sq = reset.methods.find((m: any) => m.type === "security_questions");
      expect(sq).toBeTruthy();
      await verifyByEmail(reset, u.email);
      const asked = await challenge(reset, sq.id);
      expect(asked.status).toBe(202);
      expect(asked.body.challenge.questions).toHaveLength(3);
      const wrong = await verify(reset, { methodId: sq.id, answers: asked.body.challenge.questions.map((q: any) => ({ questionId: q.id, answer: "wrong answer" })) });
      expect(wrong.status).toBe(400);
      expect(wrong.body.error.code).toBe("invalid_code");
      const stale = await verify(reset, { methodId: sq.id, answers: asked.body.challenge.questions.map((q: any) => ({ questionId: q.id, answer: answers[q.id] })) });
      expect(stale.status).toBe(409);
      const again = await challenge(reset, sq.id);
      const right = await verify(reset, { methodId: sq.id, answers: again.body.challenge.questions.map((q: any) => ({ questionId: q.id, answer: `  ${answers[q.id]!.toUpperCase()} ` })) });
      expect(right.status).toBe(200);
      expect(right.body.status).toBe("verified");
    } finally {
      await patchPolicy({ methods: { required: 1, available: ["email", "sms", "totp"] } });
    }
  });

  it("never asks fewer questions than the policy: too few still offered make the method pending until the user answers again", async () => {
    const mascot = { id: "mascot", text: "What was your school's mascot?" };
    await patchPolicy({ methods: { required: 2, available: ["email", "sms", "totp", "security_questions"] }, securityQuestions: { numberToRegister: 4, numberToReset: 3, custom: [mascot] } });
    try {
      const u = await registeredUser();
      const answers: Record<string, string> = { "first-pet": "Rex", "first-teacher": "Smith", "first-car": "Fiat Panda", "custom-mascot": "Owl" };
      const body = { answers: Object.entries(answers).map(([questionId, answer]) => ({ questionId, answer })) };
      expect((await callJson("PUT", "/v1/me/security-questions", { token: u.token, body })).status).toBe(200);
      const reset = (await start(u.username)).body;
      const sq = reset.methods.find((m: any) => m.type === "security_questions");
      await verifyByEmail(reset, u.email);
      const drawn = await challenge(reset, sq.id);
      expect(drawn.body.challenge.questions).toHaveLength(3);

      // Four answers, four asked: still usable, but a set of three drawn before is not accepted.
      await patchPolicy({ securityQuestions: { numberToReset: 4 } });
      const late = await verify(reset, { methodId: sq.id, answers: drawn.body.challenge.questions.map((q: any) => ({ questionId: q.id, answer: answers[q.id] })) });
      expect(late.status).toBe(409);
      expect((await challenge(reset, sq.id)).body.challenge.questions).toHaveLength(4);

      // The admin removes the custom question: three of the user's questions are offered, four are asked.
      await patchPolicy({ securityQuestions: { custom: [] } });
      const me = (await callJson("GET", "/v1/me", { token: u.token })).body;
      expect(me.registration.methods.find((m: any) => m.id === sq.id)).toMatchObject({ status: "pending" });
      expect(me.registration.complete).toBe(false);
      expect((await callJson("GET", "/v1/me/security-questions", { token: u.token })).body.registered.sort()).toEqual(["first-car", "first-pet", "first-teacher"]);
      expect((await callJson("POST", `/v1/me/methods/${sq.id}/verify`, { token: u.token, body: { code: "12345678" } })).body.error.code).toBe("conflict");
      expect((await callJson("GET", `/v1/resets/${reset.resetId}`, { token: reset.resetToken })).body.methods.map((m: any) => m.type)).toEqual(["email"]);
      const asked = await challenge(reset, sq.id);
      expect(asked.status).toBe(404);
      expect(asked.body.challenge).toBeUndefined();
      expect((await verify(reset, { methodId: sq.id, answers: body.answers })).status).toBe(404);
      expect((await start(u.username)).body.status).toBe("unavailable");

      // Restored, the kept answers count again without the user doing anything.
      await patchPolicy({ securityQuestions: { custom: [mascot] } });
      const restored = (await callJson("GET", "/v1/me", { token: u.token })).body.registration;
      expect(restored.methods.find((m: any) => m.id === sq.id)).toMatchObject({ status: "active" });
      expect(restored.complete).toBe(true);
      expect((await start(u.username)).body.methods.map((m: any) => m.id)).toContain(sq.id);
    } finally {
      await patchPolicy({ methods: { required: 1, available: ["email", "sms", "totp"] }, securityQuestions: { numberToRegister: 3, numberToReset: 3, custom: [] } });
    }
  });

  it("refuses to ask questions answered under a policy that was replaced as they were saved: 409, no questions", async () => {
    await patchPolicy({ methods: { required: 2, available: ["email", "sms", "totp", "security_questions"] }, securityQuestions: { numberToRegister: 3, numberToReset: 3 } });
    try {
      const u = await registeredUser();
      const answers = [["first-pet", "Rex"], ["first-teacher", "Smith"], ["first-car", "Fiat Panda"]].map(([questionId, answer]) => ({ questionId, answer }));
      expect((await callJson("PUT", "/v1/me/security-questions", { token: u.token, body: { answers } })).status).toBe(200);
      await patchPolicy({ securityQuestions: { numberToRegister: 4, numberToReset: 4 } });
      // What a PUT validated against the old policy and written after the new one leaves behind.
      await env.DB.prepare("update recovery_methods set status = 'active' where user_id = ? and type = 'security_questions'").bind(u.id).run();
      const reset = (await start(u.username)).body;
      const sq = reset.methods.find((m: any) => m.type === "security_questions");
      await verifyByEmail(reset, u.email);
      const asked = await challenge(reset, sq.id);
      expect(asked.status).toBe(409);
      expect(asked.body.error.code).toBe("conflict");
      expect(asked.body.challenge).toBeUndefined();
      expect((await verify(reset, { methodId: sq.id, answers })).status).not.toBe(200);
    } finally {
      await patchPolicy({ methods: { required: 1, available: ["email", "sms", "totp"] }, securityQuestions: { numberToRegister: 3, numberToReset: 3 } });
    }
  });
});

describe("no user enumeration", () => {
  it("answers unknown, disabled, not-enabled and unregistered users byte for byte alike", async () => {
    await patchPolicy({ selfServiceReset: { enabledFor: "selected", groups: ["pilot"] } });
    try {
      const disabled = await seedUser({ disabled: true, groups: ["pilot"] });
      const notEnabled = await seedAndSignIn({ groups: ["other"] });
      await registerEmail(notEnabled.token);
      const unregistered = await seedUser({ groups: ["pilot"] });
      const names = [uniqueName("ghost"), disabled.username, notEnabled.username, unregistered.username];
      const answers = [];
      for (const username of names) answers.push(await call("POST", "/v1/resets", { body: { username } }));
      const shapes = await Promise.all(
        answers.map(async (r) => {
          const headers = [...r.headers.entries()].filter(([k]) => k !== "date").map(([k, v]) => (k === "server-timing" ? [k, v.replace(/dur=[\d.]+/g, "dur=")] : [k, v]));
          return JSON.stringify({ status: r.status, headers, body: await r.text() });
        }),
      );
      expect(new Set(shapes).size).toBe(1);
      expect(JSON.parse(JSON.parse(shapes[0]!).body)).toEqual({ status: "unavailable", helpdesk: { url: null, email: null } });
      const pilot = await seedAndSignIn({ groups: ["pilot"] });
      await registerEmail(pilot.token);
      expect((await start(pilot.username)).status).toBe(201);
    } finally {
      await patchPolicy({ selfServiceReset: { enabledFor: "all", groups: [] } });
    }
  });

  it("limits starts per username to 5 an hour, for unknown names too", async () => {
    for (const username of [uniqueName("ghost"), (await registeredUser()).username]) {
      for (let i = 0; i < 5; i++) expect((await call("POST", "/v1/resets", { body: { username } })).status).toBeLessThan(300);
      const sixth = await call("POST", "/v1/resets", { body: { username } });
      expect(sixth.status).toBe(429);
      expect((await sixth.json<any>()).error.code).toBe("rate_limited");
    }
  });
});

describe("blocks", () => {
  const WRONG = (code: string) => (code === "00000000" ? "11111111" : "00000000");

  it("blocks after 5 failed checks, with Retry-After, until it passes or an admin clears it", async () => {
    const u = await registeredUser({ totp: true });
    const reset = (await start(u.username)).body;
    const badTotp = (await totpCode(u.totp!.secret)) === "000000" ? "111111" : "000000";
    const lefts = [];
    for (let i = 0; i < 4; i++) {
      const r = await verify(reset, { methodId: u.totp!.id, code: badTotp });
      expect(r.status).toBe(400);
      lefts.push(r.body.error.details[0].attemptsLeft);
    }
    expect(lefts).toEqual([4, 3, 2, 1]);
    const fifth = await call("POST", `/v1/resets/${reset.resetId}/verify`, { token: reset.resetToken, body: { methodId: u.totp!.id, code: badTotp } });
    expect(fifth.status).toBe(429);
    expect((await fifth.json<any>()).error.code).toBe("reset_blocked");
    expect(Number(fifth.headers.get("retry-after"))).toBeGreaterThan(23 * 3600);
    expect((await verify(reset, { methodId: u.totp!.id, code: await totpCode(u.totp!.secret) })).status).toBe(429);
    expect((await start(u.username)).status).toBe(429);
    try {
      await setClock(24 * 3600 + 60);
      expect((await start(u.username)).status).toBe(201);
    } finally {
      await setClock(0);
    }
  });

  it("counts 30 concurrent wrong codes exactly: at most 4 invalid_code, the rest reset_blocked", async () => {
    const u = await registeredUser();
    const reset = (await start(u.username)).body;
    await challenge(reset, u.email.id);
    const code = await latestCode(u.email.email);
    const answers = await Promise.all(Array.from({ length: 30 }, () => verify(reset, { methodId: u.email.id, code: WRONG(code) })));
    const codes = answers.map((a) => a.body.error.code);
    expect(codes.filter((c) => c === "invalid_code").length).toBe(4);
    expect(codes.filter((c) => c === "reset_blocked").length).toBe(26);
    const counted = await env.DB.prepare("select count from rate_counters where key = ?").bind(`reset-fail:user:${u.id}`).first<{ count: number }>();
    const audited = await env.DB.prepare("select count(*) as n from audit_events where subject_id = ? and type = 'reset.verify_failed'").bind(u.id).first<{ n: number }>();
    expect(audited!.n).toBe(counted!.count);
    const blocks = await env.DB.prepare("select count(*) as n from audit_events where subject_id = ? and type = 'reset.blocked'").bind(u.id).first<{ n: number }>();
    expect(blocks!.n).toBe(1);
  });

  it("clears the failure count after a successful reset", async () => {
    const u = await registeredUser();
    const reset = (await start(u.username)).body;
    await challenge(reset, u.email.id);
    const code = await latestCode(u.email.email);
    for (let i = 0; i < 3; i++) await verify(reset, { methodId: u.email.id, code: WRONG(code) });
    expect((await verify(reset, { methodId: u.email.id, code })).status).toBe(200);
    expect((await setPassword(reset)).status).toBe(200);
    const left = await env.DB.prepare("select count(*) as n from rate_counters where key like 'reset-fail:%' and (key = ? or key = ?)").bind(`reset-fail:user:${u.id}`, `reset-fail:method:${u.email.id}`).first<{ n: number }>();
    expect(left!.n).toBe(0);
  });
});

describe("concurrent completion", () => {
  it("lets exactly one of 10 concurrent completions win", async () => {
    const u = await registeredUser();
    const reset = (await start(u.username)).body;
    await verifyByEmail(reset, u.email);
    const answers = await Promise.all(Array.from({ length: 10 }, (_, i) => setPassword(reset, `Concurrent-Passphrase-Number-${i}x`)));
    expect(answers.filter((a) => a.status === 200)).toHaveLength(1);
    expect(answers.filter((a) => a.status === 409 && a.body.error.code === "reset_completed")).toHaveLength(9);
    const winner = answers.findIndex((a) => a.status === 200);
    expect(await signIn(u.username, `Concurrent-Passphrase-Number-${winner}x`)).toBeTruthy();
    const completed = await env.DB.prepare("select count(*) as n from audit_events where subject_id = ? and type = 'reset.completed'").bind(u.id).first<{ n: number }>();
    expect(completed!.n).toBe(1);
  });
});
