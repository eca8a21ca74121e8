import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { call, callJson, seedAndSignIn, seedMethod, totpCode, uniqueName } from "./helpers.js";

/**
 * Change notices cost the requester nothing (adding and removing an authenticator app sends no code),
 * so they are capped per user: a signed-in attacker cannot use them to mail the owner's addresses
 * without end. The changes themselves are never refused, and every one stays in the audit log.
 */

const notices = async (to: string) =>
  ((await callJson("GET", `/v1/dev/outbox?to=${encodeURIComponent(to)}`)).body.messages as { code: string | null }[]).filter((m) => m.code === null).length;

async function addAndRemoveApp(token: string) {
  const added = await callJson("POST", "/v1/me/methods", { token, body: { type: "totp" } });
  expect(added.status).toBe(201);
  const id = added.body.method.id as string;
  expect((await call("POST", `/v1/me/methods/${id}/verify`, { token, body: { code: await totpCode(added.body.secret) } })).status).toBe(200);
  expect((await call("DELETE", `/v1/me/methods/${id}`, { token })).status).toBe(204);
}

describe("method change notices", () => {
  it("mail a user's addresses at most 10 times a day, however often methods are added and removed", async () => {
    const user = await seedAndSignIn();
    const address = uniqueName("owner");
    await seedMethod(user.id, { type: "email", target: address });

    await addAndRemoveApp(user.token);
    expect(await notices(address)).toBe(2);
    for (let i = 0; i < 7; i++) await addAndRemoveApp(user.token);

    expect(await notices(address)).toBe(10);
    // Every change still happened and is in the audit log, the unannounced ones included.
    const removed = await env.DB.prepare("select count(*) as n from audit_events where subject_id = ? and type = 'method.removed'").bind(user.id).first<{ n: number }>();
    expect(removed).toEqual({ n: 8 });
  });
});
