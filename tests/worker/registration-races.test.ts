import { env } from "cloudflare:workers";
import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import * as schema from "../../worker/src/db/schema.js";
import { currentPolicyQuery, policyFromRow } from "../../worker/src/policy/store.js";
import { removeMethod } from "../../worker/src/registration/remove-method.js";
import { verifyMethod } from "../../worker/src/registration/verify-method.js";
import { directory } from "../../worker/src/directory/directory.js";
import { callJson, patchPolicy, registerEmail, registerTotp, seedAndSignIn, totpCode } from "./helpers.js";
import { directDb, flowContext } from "./stale-read.js";

const audits = async (userId: string, type: string) =>
  (await env.DB.prepare("select count(*) as n from audit_events where subject_id = ? and type = ?").bind(userId, type).first<{ n: number }>())!.n;

/** Change notices counted for the user today (registration/method-notices.ts). */
const notices = async (userId: string) =>
  (await env.DB.prepare("select coalesce(sum(count), 0) as n from rate_counters where key = ?").bind(`notice:user:${userId}`).first<{ n: number }>())!.n;

describe("registration writes that race", () => {
  it("an app code sent twice activates the app once: one 'verified' audit row and one notice", async () => {
    const user = await seedAndSignIn();
    await registerEmail(user.token);
    const added = await callJson("POST", "/v1/me/methods", { token: user.token, body: { type: "totp" } });
    const methodId = added.body.method.id as string;
    const code = await totpCode(added.body.secret);
    // What the second request read before the first one's batch: the app still pending.
    const db = directDb();
    const [stale] = await db.select().from(schema.users).where(eq(schema.users.id, user.id));
    const methods = await directory.methodsOf(db, user.id);
    const policy = policyFromRow((await currentPolicyQuery(db))[0]);
    const auditsBefore = await audits(user.id, "method.verified");
    const noticesBefore = await notices(user.id);

    expect((await callJson("POST", `/v1/me/methods/${methodId}/verify`, { token: user.token, body: { code } })).status).toBe(200);
    const method = methods.find((m) => m.id === methodId)!;
    expect(method.status).toBe("pending");
    await expect(verifyMethod({ ctx: flowContext(db), user: stale!, method, code, codeRow: undefined, totpFailures: [], methods, policy })).rejects.toMatchObject({ code: "invalid_code" });
    expect(await audits(user.id, "method.verified")).toBe(auditsBefore + 1);
    expect(await notices(user.id)).toBe(noticesBefore + 1);
  });

  it("a method removed by two requests at once is recorded and announced once", async () => {
    const user = await seedAndSignIn();
    await registerEmail(user.token);
    const second = await registerEmail(user.token);
    // What the second removal read before the first one's batch: the method still there.
    const db = directDb();
    const [stale] = await db.select().from(schema.users).where(eq(schema.users.id, user.id));
    const methods = await directory.methodsOf(db, user.id);
    const policy = policyFromRow((await currentPolicyQuery(db))[0]);
    const noticesBefore = await notices(user.id);
    expect((await callJson("DELETE", `/v1/me/methods/${second.id}`, { token: user.token })).status).toBe(204);
    await removeMethod({ ctx: flowContext(db), user: stale!, methods, method: methods.find((m) => m.id === second.id)!, policy });
    expect(await audits(user.id, "method.removed")).toBe(1);
    expect(await notices(user.id)).toBe(noticesBefore + 1);
  });
});

describe("skips", () => {
  it("verifying one of two required methods does not give the skips back; completing registration does", async () => {
    await patchPolicy({ methods: { required: 2 }, registration: { skipsAllowed: 2 } });
    const user = await seedAndSignIn();
    const skip = () => callJson("POST", "/v1/me/registration/skip", { token: user.token });
    expect((await skip()).status).toBe(200);
    expect((await skip()).status).toBe(200);
    expect((await skip()).body.error.code).toBe("no_skips_left");
    await registerEmail(user.token);
    expect((await skip()).body.error.code).toBe("no_skips_left");
    await registerTotp(user.token);
    const me = await callJson("GET", "/v1/me", { token: user.token });
    expect(me.body.registration).toMatchObject({ complete: true, skipsLeft: 2 });
  });
});
