/**
 * Every endpoint of the contract called once, in a realistic state, with its D1 round trips read from
 * the development `Server-Timing` header. Spec §9: at most 2 per request.
 */
import type { Client, Reply } from "./http.js";
import { outcomeOf, serverTiming } from "./http.js";
import { BENCH_PASSWORD, clientIp, outboxCode, totpCode } from "./fixtures.js";

export interface RoundTripRow {
  method: string;
  path: string;
  /** The state it was called in, when it matters. */
  note: string;
  outcome: string;
  roundTrips: number | null;
  kdfMs: number | null;
  overTarget: boolean;
  implemented: boolean;
  skipped?: string;
}

export const ROUND_TRIP_TARGET = 2;

interface Context {
  client: Client;
  adminToken: string;
  setupToken: string;
  tag: string;
  /** Imported users with an active email method, not used by anything else. */
  spareUsers: string[];
}

type JsonReply = Reply & { body: any };

class Skip extends Error {}

const need = <T>(value: T | null | undefined, what: string): T => {
  if (value === null || value === undefined) throw new Skip(`needs ${what}`);
  return value;
};

/** `/v1/resets/{resetId}` → `/v1/resets/{}`, to compare paths with the OpenAPI document's. */
const shape = (path: string) => path.replace(/\{[^}]+\}/g, "{}");

export async function roundTripTable(ctx: Context): Promise<RoundTripRow[]> {
  const { client } = ctx;
  const rows: RoundTripRow[] = [];
  const documented = new Set<string>();
  try {
    const doc = await client.json("GET", "/v1/openapi.json");
    for (const [path, ops] of Object.entries((doc.body?.paths ?? {}) as Record<string, object>)) {
      for (const method of Object.keys(ops)) documented.add(`${method.toUpperCase()} ${shape(path)}`);
    }
  } catch {
    // without the document, 404/405 answers are reported as they are
  }

  const step = async (method: string, path: string, run: () => Promise<JsonReply>, note = ""): Promise<JsonReply | null> => {
    try {
      const reply = await run();
      const timing = serverTiming(reply.headers);
      const implemented = !((reply.status === 404 || reply.status === 405) && documented.size > 0 && !documented.has(`${method} ${shape(path)}`));
      rows.push({
        method,
        path,
        note,
        outcome: implemented ? outcomeOf(reply) : `${reply.status} (not implemented)`,
        roundTrips: timing.d1RoundTrips,
        kdfMs: timing.kdfMs,
        overTarget: implemented && (timing.d1RoundTrips ?? 0) > ROUND_TRIP_TARGET,
        implemented,
      });
      return implemented ? reply : null;
    } catch (error) {
      const why = error instanceof Error ? error.message : String(error);
      rows.push({ method, path, note, outcome: "—", roundTrips: null, kdfMs: null, overTarget: false, implemented: true, skipped: error instanceof Skip ? why : `error: ${why}` });
      return null;
    }
  };
  const admin = { token: ctx.adminToken };
  const ok = (reply: JsonReply | null, status: number) => (reply && reply.status === status ? reply : null);

  // --- Public
  await step("GET", "/healthz", () => client.json("GET", "/healthz"));
  await step("GET", "/v1/config", () => client.json("GET", "/v1/config"));
  await step("GET", "/v1/openapi.json", () => client.json("GET", "/v1/openapi.json"));

  // --- Setup (the demo seed made a global admin, so this is the refusal path)
  await step(
    "POST",
    "/v1/setup",
    () => client.json("POST", "/v1/setup", { token: ctx.setupToken, body: { username: `setup-${ctx.tag}@bench.example`, displayName: "Setup", password: BENCH_PASSWORD } }),
    "a global admin exists (demo seed)",
  );

  // --- Admin policy: PATCH turns security questions on (the me/security-questions rows need them).
  const policy = ok(await step("GET", "/v1/admin/policy", () => client.json("GET", "/v1/admin/policy", admin)), 200);
  const patched = ok(
    await step("PATCH", "/v1/admin/policy", () =>
      client.json("PATCH", "/v1/admin/policy", { ...admin, body: { methods: { available: ["email", "sms", "totp", "security_questions"] } } }),
    "enable security questions"),
    200,
  );
  await step(
    "PUT",
    "/v1/admin/policy",
    () => {
      const current = need(patched ?? policy, "GET /v1/admin/policy").body;
      const { version, updatedAt, adminPolicy, ...rest } = current;
      return client.json("PUT", "/v1/admin/policy", { ...admin, body: { ...rest, adminPolicy: { enabled: adminPolicy?.enabled ?? true } }, headers: { "if-match": `"${version}"` } });
    },
    "same settings, with If-Match",
  );

  // --- Admin users
  const username = `rt-${ctx.tag}@bench.example`;
  const created = ok(
    await step("POST", "/v1/admin/users", () => client.json("POST", "/v1/admin/users", { ...admin, body: { username, displayName: "Round Trip", password: BENCH_PASSWORD } }), "with a password (one KDF run)"),
    201,
  );
  await step(
    "POST",
    "/v1/admin/users/import",
    () =>
      client.json("POST", "/v1/admin/users/import", {
        ...admin,
        body: { users: [0, 1].map((i) => ({ username: `rt-import-${ctx.tag}-${i}@bench.example`, displayName: `Imported ${i}`, email: `rt-import-${ctx.tag}-${i}@bench.example` })) },
      }),
    "2 rows, no passwords",
  );
  await step("GET", "/v1/admin/users", () => client.json("GET", "/v1/admin/users?limit=100", admin), "first page of 100");
  await step("GET", "/v1/admin/users", () => client.json("GET", `/v1/admin/users?q=${encodeURIComponent("bench user 1")}&limit=100`, admin), "with q=");
  const userId: string | undefined = created?.body?.user?.id;
  await step("GET", "/v1/admin/users/{id}", () => client.json("GET", `/v1/admin/users/${need(userId, "a created user")}`, admin));
  await step("PATCH", "/v1/admin/users/{id}", () => client.json("PATCH", `/v1/admin/users/${need(userId, "a created user")}`, { ...admin, body: { displayName: "Round Trip Renamed" } }));

  // --- Sessions
  const session = ok(await step("POST", "/v1/sessions", () => client.json("POST", "/v1/sessions", { body: { username, password: BENCH_PASSWORD } }), "right password (one KDF run)"), 201);
  await step("POST", "/v1/sessions", () => client.json("POST", "/v1/sessions", { body: { username, password: "wrong-password-for-the-bench" } }), "wrong password");
  await step("POST", "/v1/sessions", () => client.json("POST", "/v1/sessions", { body: { username: `nobody-rt-${ctx.tag}@bench.example`, password: "wrong-password-for-the-bench" } }), "unknown user");
  const me = { token: session?.body?.token as string | undefined };
  const meToken = () => ({ token: need(me.token, "a session") });

  // --- Me
  await step("GET", "/v1/me", () => client.json("GET", "/v1/me", meToken()));
  await step("GET", "/v1/me/methods", () => client.json("GET", "/v1/me/methods", meToken()));
  const email = `rt-mail-${ctx.tag}@bench.example`;
  const addedEmail = ok(await step("POST", "/v1/me/methods", () => client.json("POST", "/v1/me/methods", { ...meToken(), body: { type: "email", email } }), "email (a code sent)"), 201);
  const emailId: string | undefined = addedEmail?.body?.method?.id;
  await step(
    "POST",
    "/v1/me/methods/{id}/resend",
    async () => {
      const id = need(emailId, "a pending email method");
      // 61 s later on the worker's clock, past the 60 s resend wait.
      await client.json("POST", "/v1/dev/clock", { body: { offsetSeconds: 61 } });
      try {
        return await client.json("POST", `/v1/me/methods/${id}/resend`, meToken());
      } finally {
        await client.json("POST", "/v1/dev/clock", { body: { offsetSeconds: 0 } });
      }
    },
    "61 s after the first code (dev clock)",
  );
  await step("POST", "/v1/me/methods/{id}/verify", async () => client.json("POST", `/v1/me/methods/${need(emailId, "a pending email method")}/verify`, { ...meToken(), body: { code: await outboxCode(client, email) } }), "email, right code");
  const addedTotp = ok(await step("POST", "/v1/me/methods", () => client.json("POST", "/v1/me/methods", { ...meToken(), body: { type: "totp", label: "bench" } }), "authenticator app"), 201);
  const totpId: string | undefined = addedTotp?.body?.method?.id;
  await step("POST", "/v1/me/methods/{id}/verify", () => client.json("POST", `/v1/me/methods/${need(totpId, "a pending authenticator")}/verify`, { ...meToken(), body: { code: totpCode(addedTotp!.body.secret) } }), "authenticator, right code");
  const questions = ok(await step("GET", "/v1/me/security-questions", () => client.json("GET", "/v1/me/security-questions", meToken())), 200);
  await step(
    "PUT",
    "/v1/me/security-questions",
    () => {
      const list = need(questions, "the question list").body.questions as { id: string }[];
      const count = (patched ?? policy)?.body?.securityQuestions?.numberToRegister ?? 3;
      const answers = list.slice(0, count).map((q, i) => ({ questionId: q.id, answer: `bench answer number ${i}` }));
      return client.json("PUT", "/v1/me/security-questions", { ...meToken(), body: { answers } });
    },
    "answers to numberToRegister questions",
  );
  await step("POST", "/v1/me/registration/confirm", () => client.json("POST", "/v1/me/registration/confirm", meToken()));
  await step("POST", "/v1/me/registration/skip", () => client.json("POST", "/v1/me/registration/skip", meToken()), "a registered user");
  await step("DELETE", "/v1/me/methods/{id}", () => client.json("DELETE", `/v1/me/methods/${need(totpId, "an authenticator")}`, meToken()));
  await step(
    "POST",
    "/v1/sessions/current/reauth",
    () => client.json("POST", "/v1/sessions/current/reauth", { ...meToken(), body: { password: BENCH_PASSWORD } }),
    "right password (one KDF run)",
  );
  await step(
    "POST",
    "/v1/me/password",
    () => client.json("POST", "/v1/me/password", { ...meToken(), body: { currentPassword: BENCH_PASSWORD, newPassword: "lantern-violet-quarry-93-ember" } }),
    "two KDF runs (check, hash)",
  );
  await step("DELETE", "/v1/sessions/current", () => client.json("DELETE", "/v1/sessions/current", meToken()));

  // --- Resets, the whole flow for an imported user with an email method
  const resetUser = ctx.spareUsers[0];
  const reset = ok(
    await step("POST", "/v1/resets", () => client.json("POST", "/v1/resets", { body: { username: need(resetUser, "a spare user") }, headers: { "cf-connecting-ip": clientIp(0xfffff0) } }), "known user"),
    201,
  );
  await step("POST", "/v1/resets", () => client.json("POST", "/v1/resets", { body: { username: `nobody-rt-${ctx.tag}@bench.example` }, headers: { "cf-connecting-ip": clientIp(0xfffff1) } }), "unknown user");
  const resetId: string | undefined = reset?.body?.resetId;
  const resetAuth = () => ({ token: need(reset?.body?.resetToken as string | undefined, "a started reset") });
  const methodId: string | undefined = reset?.body?.methods?.[0]?.id;
  await step("GET", "/v1/resets/{resetId}", () => client.json("GET", `/v1/resets/${need(resetId, "a started reset")}`, resetAuth()));
  await step("POST", "/v1/resets/{resetId}/challenges", () => client.json("POST", `/v1/resets/${need(resetId, "a started reset")}/challenges`, { ...resetAuth(), body: { methodId: need(methodId, "a method") }, headers: { "cf-connecting-ip": clientIp(0xfffff2) } }), "email");
  await step("POST", "/v1/resets/{resetId}/verify", () => client.json("POST", `/v1/resets/${need(resetId, "a started reset")}/verify`, { ...resetAuth(), body: { methodId: need(methodId, "a method"), code: "00000000" } }), "wrong code");
  await step("POST", "/v1/resets/{resetId}/verify", async () => client.json("POST", `/v1/resets/${need(resetId, "a started reset")}/verify`, { ...resetAuth(), body: { methodId: need(methodId, "a method"), code: await outboxCode(client, need(resetUser, "a spare user")) } }), "right code");
  await step("POST", "/v1/resets/{resetId}/password", () => client.json("POST", `/v1/resets/${need(resetId, "a started reset")}/password`, { ...resetAuth(), body: { newPassword: "orchid-tundra-piston-28-saffron" } }), "one KDF run");

  // --- Admin actions on the round-trip user, then delete it
  await step("POST", "/v1/admin/users/{id}/password", () => client.json("POST", `/v1/admin/users/${need(userId, "a created user")}/password`, { ...admin, body: {} }), "temporary password (one KDF run)");
  await step("DELETE", "/v1/admin/users/{id}/methods", () => client.json("DELETE", `/v1/admin/users/${need(userId, "a created user")}/methods`, admin));
  await step("POST", "/v1/admin/users/{id}/unlock", () => client.json("POST", `/v1/admin/users/${need(userId, "a created user")}/unlock`, admin));
  await step("DELETE", "/v1/admin/users/{id}", () => client.json("DELETE", `/v1/admin/users/${need(userId, "a created user")}`, admin));

  // --- Audit and reports (over the thousands of rows the load phase wrote)
  await step("GET", "/v1/admin/audit", () => client.json("GET", "/v1/admin/audit?limit=100", admin), "JSON, 100 rows");
  await step("GET", "/v1/admin/audit", () => client.json("GET", "/v1/admin/audit?limit=100", { ...admin, headers: { accept: "text/csv" } }), "CSV, 100 rows");
  await step("GET", "/v1/admin/reports/registration", () => client.json("GET", "/v1/admin/reports/registration", admin));
  await step("GET", "/v1/admin/reports/resets", () => client.json("GET", "/v1/admin/reports/resets", admin));

  // --- Development only
  await step("GET", "/v1/dev/baseline", () => client.json("GET", "/v1/dev/baseline"));
  await step("GET", "/v1/dev/outbox", () => client.json("GET", `/v1/dev/outbox?to=${encodeURIComponent(email)}`));
  await step("POST", "/v1/dev/clock", () => client.json("POST", "/v1/dev/clock", { body: { offsetSeconds: 0 } }));
  await step("GET", "/demo/login", () => client.json("GET", "/demo/login"));
  return rows;
}
