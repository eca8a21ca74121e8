import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { call, callJson, latestCode, patchPolicy, seedAndSignIn, setClock, totpCode, uniqueName } from "./helpers.js";

const addEmail = (token: string, email: string) => callJson("POST", "/v1/me/methods", { token, body: { type: "email", email } });

describe("email method", () => {
  it("adds a pending method, emails a code, and activates it with the code", async () => {
    const { token } = await seedAndSignIn();
    const email = uniqueName("inbox");
    const added = await addEmail(token, email);
    expect(added.status).toBe(201);
    expect(added.body.method).toMatchObject({ type: "email", status: "pending", hint: expect.stringMatching(/^i•••@e•••\.com$/), verifiedAt: null });
    const code = await latestCode(email);
    expect(code).toMatch(/^\d{8}$/);
    const verified = await callJson("POST", `/v1/me/methods/${added.body.method.id}/verify`, { token, body: { code } });
    expect(verified.status).toBe(200);
    expect(verified.body.method.status).toBe("active");
    const me = await callJson("GET", "/v1/me", { token });
    expect(me.body.registration).toMatchObject({ complete: true, required: false, reconfirmDue: false });
  });

  it("stores only an HMAC of the code", async () => {
    const { token } = await seedAndSignIn();
    const email = uniqueName("hash");
    const added = await addEmail(token, email);
    const code = await latestCode(email);
    const row = await env.DB.prepare("select code_hash from verification_codes where method_id = ?").bind(added.body.method.id).first<{ code_hash: string }>();
    expect(row!.code_hash).toMatch(/^[0-9a-f]{64}$/);
    expect(row!.code_hash).not.toContain(code);
  });

  it("counts wrong codes, kills the code after 5, and refuses reuse", async () => {
    const { token } = await seedAndSignIn();
    const email = uniqueName("wrong");
    const added = await addEmail(token, email);
    const id = added.body.method.id;
    const code = await latestCode(email);
    const wrong = code === "00000000" ? "11111111" : "00000000";
    for (const left of [4, 3, 2, 1, 0]) {
      const r = await callJson("POST", `/v1/me/methods/${id}/verify`, { token, body: { code: wrong } });
      expect(r.status).toBe(400);
      expect(r.body.error).toMatchObject({ code: "invalid_code", details: [{ attemptsLeft: left }] });
    }
    const dead = await callJson("POST", `/v1/me/methods/${id}/verify`, { token, body: { code } });
    expect(dead.status).toBe(400);
    expect(dead.body.error.code).toBe("code_expired");
  });

  it("counts 30 concurrent wrong codes exactly: 5 answers, the code then dead", async () => {
    const { token } = await seedAndSignIn();
    const email = uniqueName("race");
    const added = await addEmail(token, email);
    const code = await latestCode(email);
    const wrong = code === "00000000" ? "11111111" : "00000000";
    const answers = await Promise.all(Array.from({ length: 30 }, () => callJson("POST", `/v1/me/methods/${added.body.method.id}/verify`, { token, body: { code: wrong } })));
    expect(answers.filter((a) => a.body.error.code === "invalid_code")).toHaveLength(5);
    expect(answers.filter((a) => a.body.error.code === "code_expired")).toHaveLength(25);
    const row = await env.DB.prepare("select attempts_left from verification_codes where method_id = ?").bind(added.body.method.id).first<{ attempts_left: number }>();
    expect(row!.attempts_left).toBe(0);
  });

  it("expires codes after the policy's TTL", async () => {
    const { token, password } = await seedAndSignIn();
    const email = uniqueName("ttl");
    const added = await addEmail(token, email);
    const code = await latestCode(email);
    try {
      await setClock(10 * 60 + 1);
      // The session is stale by now too (fresh for 10 minutes as well): prove the password, so that the
      // answer is about the code.
      expect((await callJson("POST", "/v1/sessions/current/reauth", { token, body: { password } })).status).toBe(200);
      const r = await callJson("POST", `/v1/me/methods/${added.body.method.id}/verify`, { token, body: { code } });
      expect(r.status).toBe(400);
      expect(r.body.error.code).toBe("code_expired");
    } finally {
      await setClock(0);
    }
  });

  it("refuses a resend within 60 s, then replaces the code", async () => {
    const { token } = await seedAndSignIn();
    const email = uniqueName("resend");
    const added = await addEmail(token, email);
    const first = await latestCode(email);
    const early = await call("POST", `/v1/me/methods/${added.body.method.id}/resend`, { token });
    expect(early.status).toBe(429);
    expect(Number(early.headers.get("retry-after"))).toBeGreaterThan(50);
    try {
      await setClock(61);
      const resent = await callJson("POST", `/v1/me/methods/${added.body.method.id}/resend`, { token });
      expect(resent.status).toBe(202);
      expect(Date.parse(resent.body.expiresAt)).toBeGreaterThan(Date.now());
      const second = await latestCode(email);
      if (second !== first) {
        const old = await callJson("POST", `/v1/me/methods/${added.body.method.id}/verify`, { token, body: { code: first } });
        expect(old.status).toBe(400);
      }
      const ok = await callJson("POST", `/v1/me/methods/${added.body.method.id}/verify`, { token, body: { code: second } });
      expect(ok.status).toBe(200);
    } finally {
      await setClock(0);
    }
  });

  it("allows at most 5 codes per method per hour", async () => {
    const { token } = await seedAndSignIn();
    const email = uniqueName("hourly");
    const added = await addEmail(token, email);
    try {
      for (let i = 1; i <= 4; i++) {
        await setClock(61 * i);
        expect((await call("POST", `/v1/me/methods/${added.body.method.id}/resend`, { token })).status).toBe(202);
      }
      await setClock(61 * 5);
      const sixth = await call("POST", `/v1/me/methods/${added.body.method.id}/resend`, { token });
      expect(sixth.status).toBe(429);
      expect(Number(sixth.headers.get("retry-after"))).toBeGreaterThan(3000);
    } finally {
      await setClock(0);
    }
  });

  it("refuses a sixth address and a duplicate", async () => {
    const { token } = await seedAndSignIn();
    const first = uniqueName("dup");
    expect((await addEmail(token, first)).status).toBe(201);
    expect((await addEmail(token, first.toUpperCase())).status).toBe(409);
    for (let i = 0; i < 4; i++) expect((await addEmail(token, uniqueName(`many${i}`))).status).toBe(201);
    const sixth = await addEmail(token, uniqueName("sixth"));
    expect(sixth.status).toBe(409);
  });
});

describe("sms method", () => {
  it("normalises the number to E.164, masks it and texts a code", async () => {
    const { token } = await seedAndSignIn();
    const added = await callJson("POST", "/v1/me/methods", { token, body: { type: "sms", phone: "+44 7911 123 456" } });
    expect(added.status).toBe(201);
    expect(added.body.method.hint).toBe("•••••••3456");
    const { body } = await callJson("GET", "/v1/dev/outbox?to=%2B447911123456");
    expect(body.messages[0]).toMatchObject({ channel: "sms", to: "+447911123456", code: expect.stringMatching(/^\d{8}$/) });
    const verified = await callJson("POST", `/v1/me/methods/${added.body.method.id}/verify`, { token, body: { code: body.messages[0].code } });
    expect(verified.status).toBe(200);
  });

  it.each(["12345", "+44 20 7946 0000", "not a number"])("rejects %s with 400", async (phone) => {
    const { token } = await seedAndSignIn();
    const r = await callJson("POST", "/v1/me/methods", { token, body: { type: "sms", phone } });
    expect(r.status).toBe(400);
    expect(r.body.error.details[0].path).toBe("phone");
  });
});

describe("totp method", () => {
  it("returns a base32 secret and otpauth URI, stores the seed encrypted, and activates with a current code", async () => {
    const { token, username } = await seedAndSignIn();
    const added = await callJson("POST", "/v1/me/methods", { token, body: { type: "totp", label: "Phone" } });
    expect(added.status).toBe(201);
    const { secret, otpauthUri } = added.body;
    expect(secret).toMatch(/^[A-Z2-7]{32}$/);
    expect(otpauthUri).toMatch(/^otpauth:\/\/totp\//);
    expect(decodeURIComponent(otpauthUri)).toContain(username);
    const row = await env.DB.prepare("select secret from recovery_methods where id = ?").bind(added.body.method.id).first<{ secret: string }>();
    expect(row!.secret.startsWith("v1:")).toBe(true);
    expect(row!.secret).not.toContain(secret);
    const ok = await callJson("POST", `/v1/me/methods/${added.body.method.id}/verify`, { token, body: { code: await totpCode(secret) } });
    expect(ok.status).toBe(200);
    expect(ok.body.method).toMatchObject({ status: "active", hint: "Phone" });
  });

  it("accepts the previous step, refuses an older one and a replay", async () => {
    const { token } = await seedAndSignIn();
    const a = await callJson("POST", "/v1/me/methods", { token, body: { type: "totp" } });
    const old = await callJson("POST", `/v1/me/methods/${a.body.method.id}/verify`, { token, body: { code: await totpCode(a.body.secret, 0, 2) } });
    expect(old.status).toBe(400);
    expect(old.body.error.code).toBe("invalid_code");
    const previous = await callJson("POST", `/v1/me/methods/${a.body.method.id}/verify`, { token, body: { code: await totpCode(a.body.secret, 0, 1) } });
    expect(previous.status).toBe(200);
    const row = await env.DB.prepare("select last_used_step from recovery_methods where id = ?").bind(a.body.method.id).first<{ last_used_step: number }>();
    expect(row!.last_used_step).toBe(Math.floor(Date.now() / 30000) - 1);
  });
});

describe("security questions", () => {
  it("is refused while the policy does not offer it", async () => {
    const { token } = await seedAndSignIn();
    const r = await callJson("PUT", "/v1/me/security-questions", { token, body: { answers: [] } });
    expect(r.status).toBe(400);
    const ok = await callJson("PUT", "/v1/me/security-questions", {
      token,
      body: { answers: [{ questionId: "first-pet", answer: "Rex" }, { questionId: "first-teacher", answer: "Smith" }, { questionId: "first-car", answer: "Fiat" }] },
    });
    expect(ok.status).toBe(422);
    expect(ok.body.error.code).toBe("method_not_allowed_by_policy");
  });

  it("registers answers, never returns them, and validates count, duplicates and length", async () => {
    await patchPolicy({ methods: { available: ["email", "sms", "totp", "security_questions"] } });
    const { token } = await seedAndSignIn();
    const list = await callJson("GET", "/v1/me/security-questions", { token });
    expect(list.status).toBe(200);
    expect(list.body.questions.length).toBeGreaterThanOrEqual(20);
    expect(list.body.registered).toEqual([]);
    const put = (answers: { questionId: string; answer: string }[]) => callJson("PUT", "/v1/me/security-questions", { token, body: { answers } });
    expect((await put([{ questionId: "first-pet", answer: "Rex" }])).status).toBe(400);
    expect((await put([{ questionId: "first-pet", answer: "Rex" }, { questionId: "first-pet", answer: "Max" }, { questionId: "first-car", answer: "Fiat" }])).status).toBe(400);
    expect((await put([{ questionId: "first-pet", answer: "Rex" }, { questionId: "first-teacher", answer: " rex " }, { questionId: "first-car", answer: "Fiat" }])).status).toBe(400);
    expect((await put([{ questionId: "first-pet", answer: "Re" }, { questionId: "first-teacher", answer: "Smith" }, { questionId: "first-car", answer: "Fiat" }])).status).toBe(400);
    expect((await put([{ questionId: "nope", answer: "Rex" }, { questionId: "first-teacher", answer: "Smith" }, { questionId: "first-car", answer: "Fiat" }])).status).toBe(400);
    const ok = await put([{ questionId: "first-pet", answer: "Rex" }, { questionId: "first-teacher", answer: "Smith" }, { questionId: "first-car", answer: "Fiat Panda" }]);
    expect(ok.status).toBe(200);
    expect(ok.body.method).toMatchObject({ type: "security_questions", status: "active" });
    expect(JSON.stringify(ok.body)).not.toContain("Panda");
    const after = await callJson("GET", "/v1/me/security-questions", { token });
    expect(after.body.registered.sort()).toEqual(["first-car", "first-pet", "first-teacher"]);
    const me = await callJson("GET", "/v1/me", { token });
    expect(me.body.registration.complete).toBe(false);
  });

  it("keeps one set however many saves race: the others' answers are replaced, not left usable beside it", async () => {
    await patchPolicy({ methods: { available: ["email", "sms", "totp", "security_questions"] } });
    const { token, id } = await seedAndSignIn();
    const answerSet = (n: number) => [
      { questionId: "first-pet", answer: `Pet number ${n}` },
      { questionId: "first-teacher", answer: `Teacher ${n}` },
      { questionId: "first-car", answer: `Car model ${n}` },
    ];
    const saves = await Promise.all([1, 2, 3, 4, 5, 6].map((n) => callJson("PUT", "/v1/me/security-questions", { token, body: { answers: answerSet(n) } })));
    expect(saves.map((r) => r.status)).toEqual([200, 200, 200, 200, 200, 200]);
    const rows = await env.DB.prepare("select id from recovery_methods where user_id = ? and type = 'security_questions'").bind(id).all<{ id: string }>();
    expect(rows.results).toHaveLength(1);
    // Every answer names the one stored set, and so does every audit row.
    expect(new Set(saves.map((r) => r.body.method.id))).toEqual(new Set([rows.results[0]!.id]));
    const audits = await env.DB.prepare("select json_extract(detail, '$.methodId') as methodId from audit_events where subject_id = ? and type = 'method.added'").bind(id).all<{ methodId: string }>();
    expect(audits.results.map((a) => a.methodId)).toEqual(Array(6).fill(rows.results[0]!.id));
    const methods = await callJson("GET", "/v1/me/methods", { token });
    expect(methods.body.methods.filter((m: { type: string }) => m.type === "security_questions")).toHaveLength(1);
  });

  it("never lets an admin register them", async () => {
    await patchPolicy({ methods: { available: ["email", "sms", "totp", "security_questions"] } });
    const { token } = await seedAndSignIn({ roles: ["password_admin"] });
    const r = await callJson("PUT", "/v1/me/security-questions", {
      token,
      body: { answers: [{ questionId: "first-pet", answer: "Rex" }, { questionId: "first-teacher", answer: "Smith" }, { questionId: "first-car", answer: "Fiat" }] },
    });
    expect(r.status).toBe(422);
  });
});

describe("policy limits and removal", () => {
  it("answers a type outside the user's methods with 422", async () => {
    await patchPolicy({ methods: { available: ["email"] } });
    const { token } = await seedAndSignIn();
    const r = await callJson("POST", "/v1/me/methods", { token, body: { type: "totp" } });
    expect(r.status).toBe(422);
    expect(r.body.error.code).toBe("method_not_allowed_by_policy");
    await patchPolicy({ methods: { available: ["email", "sms", "totp"] } });
  });

  it("removes a method; another user's method is not found", async () => {
    const a = await seedAndSignIn();
    const b = await seedAndSignIn();
    const added = await addEmail(a.token, uniqueName("rm"));
    expect((await call("DELETE", `/v1/me/methods/${added.body.method.id}`, { token: b.token })).status).toBe(404);
    expect((await call("DELETE", `/v1/me/methods/${added.body.method.id}`, { token: a.token })).status).toBe(204);
    const list = await callJson("GET", "/v1/me/methods", { token: a.token });
    expect(list.body.methods).toEqual([]);
  });
});

describe("adding methods at once", () => {
  it("holds the per-type maximum and the one-destination rule under concurrent adds", async () => {
    const { token, id } = await seedAndSignIn();
    const apps = await Promise.all(Array.from({ length: 12 }, () => callJson("POST", "/v1/me/methods", { token, body: { type: "totp" } })));
    expect(apps.filter((r) => r.status === 201)).toHaveLength(5);
    for (const r of apps.filter((r) => r.status !== 201)) expect(r.body.error).toMatchObject({ code: "conflict", message: "You already have 5 recovery methods of this kind. Remove one first." });

    const phones = await Promise.all(Array.from({ length: 8 }, () => callJson("POST", "/v1/me/methods", { token, body: { type: "sms", phone: "+1 415 555 0142" } })));
    expect(phones.filter((r) => r.status === 201)).toHaveLength(1);
    for (const r of phones.filter((r) => r.status !== 201)) expect(r.body.error).toMatchObject({ code: "conflict", message: "This phone number is already registered." });

    const listed = (await callJson("GET", "/v1/me/methods", { token })).body.methods as { type: string }[];
    expect(listed.filter((m) => m.type === "totp")).toHaveLength(5);
    expect(listed.filter((m) => m.type === "sms")).toHaveLength(1);
    const audited = await env.DB.prepare("select count(*) as n from audit_events where type = 'method.added' and subject_id = ?").bind(id).first<{ n: number }>();
    expect(audited!.n).toBe(6);
    expect(await env.DB.prepare("select count(*) as n from verification_codes where method_id not in (select id from recovery_methods)").first("n")).toBe(0);
  });
});
