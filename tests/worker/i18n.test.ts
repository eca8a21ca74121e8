import { afterEach, describe, expect, it } from "vitest";
import { callJson, patchPolicy, registerEmail, seedAndSignIn, uniqueName } from "./helpers.js";
import { challenge, startReset } from "./reset-client.js";

/** Issue 18: errors in the request's language; emails and SMS in the user's `locale`, else the policy's `defaultLocale`. */

const outbox = async (to: string) => (await callJson("GET", `/v1/dev/outbox?to=${encodeURIComponent(to)}`)).body.messages as { subject: string; body: string; code?: string }[];
const admin = () => seedAndSignIn({ roles: ["global_admin"] });

afterEach(async () => {
  await patchPolicy({ defaultLocale: "en" });
});

describe("error messages", () => {
  it("speak the Accept-Language the request names, with the same code, and vary by it", async () => {
    const body = { username: uniqueName("nobody"), password: "not-the-password" };
    const english = await callJson("POST", "/v1/sessions", { body });
    const german = await callJson("POST", "/v1/sessions", { body, headers: { "accept-language": "de-DE,de;q=0.9,en;q=0.5" } });
    expect(german.status).toBe(english.status);
    expect(german.body.error.code).toBe(english.body.error.code);
    expect(english.body.error.message).toBe("The username or password is incorrect.");
    expect(german.body.error.message).toBe("Benutzername oder Passwort ist falsch.");
    expect(german.res.headers.get("vary")).toMatch(/Accept-Language/i);
  });

  it("stay English for a language the product does not ship", async () => {
    const r = await callJson("POST", "/v1/sessions", { body: { username: uniqueName("nobody"), password: "x" }, headers: { "accept-language": "zh-CN" } });
    expect(r.body.error.message).toBe("The username or password is incorrect.");
  });
});

describe("a user's locale", () => {
  it("is the browser's language when they first register, and their codes speak it", async () => {
    const { token } = await seedAndSignIn();
    const email = uniqueName("mail");
    const added = await callJson("POST", "/v1/me/methods", { token, body: { type: "email", email }, headers: { "accept-language": "ja" } });
    expect(added.status).toBe(201);
    const [mail] = await outbox(email);
    expect(mail!.subject).toMatch(/確認コード$/);
    expect(mail!.body).toContain(mail!.code!);
    expect((await callJson("GET", "/v1/me", { token })).body.user.locale).toBe("ja");

    // A later registration from a French browser keeps the first choice.
    await callJson("POST", "/v1/me/methods", { token, body: { type: "email", email: uniqueName("mail") }, headers: { "accept-language": "fr" } });
    expect((await callJson("GET", "/v1/me", { token })).body.user.locale).toBe("ja");
  });

  it("set by an admin picks the language of reset codes (Arabic, right to left)", async () => {
    const user = await seedAndSignIn();
    const { email, id: methodId } = await registerEmail(user.token);
    const { token } = await admin();
    const patched = await callJson("PATCH", `/v1/admin/users/${user.id}`, { token, body: { locale: "ar" } });
    expect(patched.status).toBe(200);
    expect(patched.body.locale).toBe("ar");
    const reset = await startReset(user.username);
    expect((await challenge(reset, methodId)).status).toBe(202);
    const [mail] = await outbox(email);
    expect(mail!.subject).toMatch(/رمز التحقق$/);
    expect(mail!.body).toContain(mail!.code!);
  });

  it("falls back to the policy's defaultLocale, and an admin's null goes back to it", async () => {
    const user = await seedAndSignIn();
    const { email, id: methodId } = await registerEmail(user.token);
    const { token } = await admin();
    await callJson("PATCH", `/v1/admin/users/${user.id}`, { token, body: { locale: "es" } });
    expect((await callJson("PATCH", `/v1/admin/users/${user.id}`, { token, body: { locale: null } })).body.locale).toBeNull();
    expect((await patchPolicy({ defaultLocale: "de" })).defaultLocale).toBe("de");
    await challenge(await startReset(user.username), methodId);
    expect((await outbox(email))[0]!.subject).toMatch(/Ihr Bestätigungscode$/);
  });

  it("refuses a language the product does not ship (400)", async () => {
    const user = await seedAndSignIn();
    const { token } = await admin();
    const r = await callJson("PATCH", `/v1/admin/users/${user.id}`, { token, body: { locale: "xx" } });
    expect(r.status).toBe(400);
    expect(r.body.error.details[0].path).toBe("locale");
    expect((await callJson("PATCH", "/v1/admin/policy", { token, body: { defaultLocale: "klingon" } })).status).toBe(400);
  });
});

describe("security questions", () => {
  it("come in the request's language; an organisation's own stay as written", async () => {
    const { token } = await seedAndSignIn();
    const r = await callJson("GET", "/v1/me/security-questions", { token, headers: { "accept-language": "es" } });
    expect(r.status).toBe(200);
    expect(r.body.questions.find((q: any) => q.id === "first-pet").text).toBe("¿Cómo se llamaba tu primera mascota?");
  });
});
