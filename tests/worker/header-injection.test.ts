import { describe, expect, it } from "vitest";
import { callJson, seedAndSignIn, seedUser, STRONG_PASSWORD, uniqueName } from "./helpers.js";

/**
 * Issue 11, item 6: text that reaches an email header, an email or an SMS refuses CR/LF and other
 * control characters at the boundary (400 `invalid_request` naming the field). The transports' own
 * defence is in delivery.test.ts.
 */

const globalAdmin = () => seedAndSignIn({ roles: ["global_admin"] });

function expectRefused(r: { status: number; body: any }, path: string) {
  expect(r.status).toBe(400);
  expect(r.body.error.code).toBe("invalid_request");
  expect(r.body.error.details).toContainEqual({ path, message: "Must not contain line breaks or other control characters." });
}

const INJECTIONS = [
  ["CR LF", "Acme\r\nBcc: x@evil.example"],
  ["a bare LF", "Acme\nBcc: x@evil.example"],
  ["a NUL", "Acme\u0000"],
  ["a tab", "Acme\tCorp"],
  ["a C1 next-line", "Acme\u0085Bcc: x@evil.example"],
  ["a Unicode line separator", "Acme\u2028Bcc: x@evil.example"],
  ["a lone surrogate", "Acme\ud800"],
] as const;

describe("policy text", () => {
  it.each(INJECTIONS)("PATCH refuses an org name with %s", async (_name, orgName) => {
    const { token } = await globalAdmin();
    const before = (await callJson("GET", "/v1/admin/policy", { token })).body;
    expectRefused(await callJson("PATCH", "/v1/admin/policy", { token, body: { orgName } }), "orgName");
    expect((await callJson("GET", "/v1/admin/policy", { token })).body.version).toBe(before.version);
  });

  it("PUT refuses an org name with CR LF", async () => {
    const { token } = await globalAdmin();
    const { version: _v, updatedAt: _u, adminPolicy, ...settings } = (await callJson("GET", "/v1/admin/policy", { token })).body;
    const put = await callJson("PUT", "/v1/admin/policy", { token, body: { ...settings, orgName: "Acme\r\nBcc: x@evil.example", adminPolicy: { enabled: adminPolicy.enabled } } });
    expectRefused(put, "orgName");
  });

  it.each([
    ["the helpdesk URL (which the URL check alone would store, minus the line break)", { helpdesk: { url: "https://help.example/\r\nBcc: x@evil.example" } }, "helpdesk.url"],
    ["a custom question", { securityQuestions: { custom: [{ id: "pet", text: "Your first pet?\r\nBcc: x" }] } }, "securityQuestions.custom.0.text"],
    ["a group name (no directory group can hold a lone surrogate)", { selfServiceReset: { groups: ["Staff", "Sales\ud800"] } }, "selfServiceReset.groups.1"],
    ["a banned word", { passwordPolicy: { bannedWords: ["acme\ud800"] } }, "passwordPolicy.bannedWords.0"],
  ])("refuses a control character in %s", async (_name, patch, path) => {
    const { token } = await globalAdmin();
    expectRefused(await callJson("PATCH", "/v1/admin/policy", { token, body: patch }), path);
  });

  it("still takes names in any script", async () => {
    const { token } = await globalAdmin();
    const r = await callJson("PATCH", "/v1/admin/policy", { token, body: { orgName: "Société Générale – 東京 👩‍💻" } });
    expect(r.status).toBe(200);
    expect(r.body.orgName).toBe("Société Générale – 東京 👩‍💻");
  });
});

describe("user text", () => {
  it.each(INJECTIONS)("admin create and update refuse a display name with %s", async (_name, displayName) => {
    const { token } = await globalAdmin();
    const created = await callJson("POST", "/v1/admin/users", { token, body: { username: uniqueName("eve"), displayName, password: STRONG_PASSWORD } });
    expectRefused(created, "displayName");
    const user = await seedUser();
    expectRefused(await callJson("PATCH", `/v1/admin/users/${user.id}`, { token, body: { displayName } }), "displayName");
  });

  it("an import row with a control character in its display name fails alone", async () => {
    const { token } = await globalAdmin();
    const r = await callJson("POST", "/v1/admin/users/import", {
      token,
      body: { users: [{ username: uniqueName("bad"), displayName: "Eve\r\nBcc: x@evil.example" }, { username: uniqueName("good"), displayName: "Good Row" }] },
    });
    expect(r.status).toBe(200);
    expect(r.body.created).toBe(1);
    expect(r.body.errors).toEqual([{ index: 0, error: expect.objectContaining({ code: "invalid_request", details: [expect.objectContaining({ path: "displayName" })] }) }]);
  });

  it("refuses an authenticator label with a line break", async () => {
    const { token } = await seedAndSignIn();
    expectRefused(await callJson("POST", "/v1/me/methods", { token, body: { type: "totp", label: "Phone\r\nBcc: x" } }), "label");
  });
});
