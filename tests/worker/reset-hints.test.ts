import { describe, expect, it } from "vitest";
import { callJson, registerEmail, seedAndSignIn, totpCode } from "./helpers.js";
import { getReset, startReset } from "./reset-client.js";

/** An authenticator app named as the user typed it, verified (active). */
async function addApp(token: string, label: string) {
  const added = await callJson("POST", "/v1/me/methods", { token, body: { type: "totp", label } });
  expect(added.status).toBe(201);
  const verified = await callJson("POST", `/v1/me/methods/${added.body.method.id}/verify`, { token, body: { code: await totpCode(added.body.secret, 0, 1) } });
  expect(verified.status).toBe(200);
  return added.body.method.id as string;
}

// Issue 11, item 8: a reset start answers anyone who knows the username, so an app's label (the
// user's own words, often their name or device) must not be in it.
describe("hints in reset answers", () => {
  it("names authenticator apps generically, numbered by registration order, while /v1/me keeps the labels", async () => {
    const user = await seedAndSignIn();
    const email = await registerEmail(user.token);
    const iphone = await addApp(user.token, "Alice's iPhone");
    const tablet = await addApp(user.token, "Work tablet");

    const started = await callJson("POST", "/v1/resets", { body: { username: user.username } });
    expect(started.status).toBe(201);
    const again = await getReset(started.body);
    expect(again.status).toBe(200);
    for (const body of [started.body, again.body]) {
      expect(JSON.stringify(body)).not.toMatch(/iPhone|Alice|tablet/i);
      expect(body.methods).toEqual([
        { id: email.id, type: "email", hint: expect.stringContaining("•••") },
        { id: iphone, type: "totp", hint: "Authenticator app 1" },
        { id: tablet, type: "totp", hint: "Authenticator app 2" },
      ]);
    }

    const own = await callJson("GET", "/v1/me/methods", { token: user.token });
    expect(own.status).toBe(200);
    expect(own.body.methods.filter((m: { type: string }) => m.type === "totp").map((m: { hint: string }) => m.hint)).toEqual(["Alice's iPhone", "Work tablet"]);
  });

  it("calls a single app just that", async () => {
    const user = await seedAndSignIn();
    await registerEmail(user.token);
    const app = await addApp(user.token, "Alice's iPhone");
    const reset = await startReset(user.username);
    expect(reset.methods.find((m: { id: string }) => m.id === app)).toEqual({ id: app, type: "totp", hint: "Authenticator app" });
    expect(JSON.stringify(reset)).not.toContain("iPhone");
  });
});
