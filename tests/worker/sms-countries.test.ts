import { afterEach, describe, expect, it } from "vitest";
import { callJson, patchPolicy, seedAndSignIn, seedMethod, STRONG_PASSWORD, uniqueName } from "./helpers.js";
import { challenge, startReset } from "./reset-client.js";

/** Issue 11, item 1: policy `methods.smsCountries`, the calling codes SMS codes may go to (empty: any). */

const admin = () => seedAndSignIn({ roles: ["global_admin"] });
const patch = async (body: unknown) => callJson("PATCH", "/v1/admin/policy", { token: (await admin()).token, body });
const sentTo = async (to: string) => (await callJson("GET", `/v1/dev/outbox?to=${encodeURIComponent(to)}`)).body.messages.length as number;

afterEach(async () => {
  await patchPolicy({ methods: { smsCountries: [] } });
});

describe("methods.smsCountries in the policy", () => {
  it.each([
    ["no plus sign", ["44"], "methods.smsCountries.0"],
    ["a leading zero", ["+04"], "methods.smsCountries.0"],
    ["five digits", ["+12345"], "methods.smsCountries.0"],
    ["an area code inside +1", ["+44", "+1268"], "methods.smsCountries.1"],
    ["no country's code", ["+999"], "methods.smsCountries.0"],
    ["a code twice", ["+44", "+44"], "methods.smsCountries"],
    ["more than 50", Array.from({ length: 51 }, (_, i) => `+${i + 1}`), "methods.smsCountries"],
  ])("refuses %s with 400 naming the path", async (_name, smsCountries, path) => {
    const r = await patch({ methods: { smsCountries } });
    expect(r.status).toBe(400);
    expect(r.body.error.code).toBe("invalid_request");
    const detail = r.body.error.details.find((d: any) => d.path === path);
    expect(detail).toBeDefined();
    expect(detail.message).not.toBe("Unknown field.");
  });

  it("defaults to any country, survives a patch of other method settings, and shows in /v1/config", async () => {
    expect((await callJson("GET", "/v1/config")).body.methods.smsCountries).toEqual([]);
    expect((await patch({ methods: { smsCountries: ["+44", "+353"] } })).body.methods.smsCountries).toEqual(["+44", "+353"]);
    const after = await patch({ methods: { required: 1 } });
    expect(after.status).toBe(200);
    expect(after.body.methods.smsCountries).toEqual(["+44", "+353"]);
    expect((await callJson("GET", "/v1/config")).body.methods.smsCountries).toEqual(["+44", "+353"]);
  });

  it("PUT without smsCountries means any country", async () => {
    const { token } = await admin();
    await patchPolicy({ methods: { smsCountries: ["+44"] } });
    const { body: policy } = await callJson("GET", "/v1/admin/policy", { token });
    const { version: _v, updatedAt: _u, adminPolicy, ...rest } = policy;
    const { smsCountries: _s, ...methods } = rest.methods;
    const put = await callJson("PUT", "/v1/admin/policy", { token, body: { ...rest, methods, adminPolicy: { enabled: adminPolicy.enabled } } });
    expect(put.status).toBe(200);
    expect(put.body.methods.smsCountries).toEqual([]);
  });
});

describe("numbers outside methods.smsCountries", () => {
  it("cannot be added as an SMS method (422, path phone, no code sent)", async () => {
    await patchPolicy({ methods: { smsCountries: ["+44"] } });
    const { token } = await seedAndSignIn();
    const refused = await callJson("POST", "/v1/me/methods", { token, body: { type: "sms", phone: "+1 415 555 2671" } });
    expect(refused.status).toBe(422);
    expect(refused.body.error.code).toBe("method_not_allowed_by_policy");
    expect(refused.body.error.message).toContain("+44");
    expect(refused.body.error.details).toEqual([{ path: "phone", message: expect.stringContaining("+44") }]);
    expect((await callJson("GET", "/v1/me/methods", { token })).body.methods).toEqual([]);
    expect((await callJson("POST", "/v1/me/methods", { token, body: { type: "sms", phone: "+44 7400 123456" } })).status).toBe(201);
  });

  it("cannot be given by an admin creating a user or importing users", async () => {
    await patchPolicy({ methods: { smsCountries: ["+44"] } });
    const { token } = await admin();
    const created = await callJson("POST", "/v1/admin/users", { token, body: { username: uniqueName("us"), displayName: "Una States", phone: "+14155552671", password: STRONG_PASSWORD } });
    expect(created.status).toBe(422);
    expect(created.body.error.code).toBe("method_not_allowed_by_policy");
    expect(created.body.error.details[0].path).toBe("phone");
    const imported = await callJson("POST", "/v1/admin/users/import", {
      token,
      body: { users: [{ username: uniqueName("us"), displayName: "Una States", phone: "+14155552671" }, { username: uniqueName("uk"), displayName: "Ula Kingdom", phone: "+447400123457" }] },
    });
    expect(imported.status).toBe(200);
    expect(imported.body.created).toBe(1);
    expect(imported.body.errors).toEqual([{ index: 0, error: expect.objectContaining({ code: "method_not_allowed_by_policy" }) }]);
  });

  it("get no reset code once the policy stops allowing them", async () => {
    const owner = await seedAndSignIn();
    const phone = "+14155550123";
    const methodId = await seedMethod(owner.id, { type: "sms", target: phone });
    await seedMethod(owner.id, { type: "email", target: uniqueName("owner") });
    await patchPolicy({ methods: { smsCountries: ["+44"] } });
    const reset = await startReset(owner.username);
    const r = await challenge(reset, methodId);
    expect(r.status).toBe(422);
    expect(r.body.error.code).toBe("method_not_allowed_by_policy");
    expect(await sentTo(phone)).toBe(0);
  });
});
