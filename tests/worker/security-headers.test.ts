import { createExecutionContext } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { createApp } from "../../worker/src/app.js";
import { contentSecurityPolicy } from "../../worker/src/middleware/security-headers.js";
import { call, seedAndSignIn, STRONG_PASSWORD } from "./helpers.js";

const preflight = { origin: "http://127.0.0.1:5173", "access-control-request-method": "POST", "access-control-request-headers": "content-type" };

/** Base64 SHA-256 of a text, as a CSP hash source. */
async function sha256Base64(text: string): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", new TextEncoder().encode(text)));
  return btoa(String.fromCharCode(...digest));
}

describe("security headers", () => {
  it.each([
    ["a public read", "GET", "/v1/config", {}, 200],
    ["the health check", "GET", "/healthz", {}, 200],
    ["a sign-in that fails", "POST", "/v1/sessions", { body: { username: "nobody@example.com", password: "wrong-password-1" } }, 401],
    ["an authed route without a session", "GET", "/v1/me", {}, 401],
    ["bad input", "POST", "/v1/resets", { body: { username: 42 } }, 400],
    ["an unknown path", "GET", "/v1/nope", {}, 404],
    ["a wrong method", "DELETE", "/v1/config", {}, 405],
    ["an allowed origin's preflight", "OPTIONS", "/v1/sessions", { headers: preflight }, 204],
    ["a plain OPTIONS", "OPTIONS", "/v1/sessions", {}, 405],
    ["the OpenAPI document", "GET", "/v1/openapi.json", {}, 200],
  ] as const)("%s: no-store and nosniff", async (_name, method, path, opts, status) => {
    const res = await call(method, path, opts);
    expect(res.status).toBe(status);
    expect(res.headers.get("cache-control")).toBe("no-store");
    expect(res.headers.get("x-content-type-options")).toBe("nosniff");
  });

  it("marks answers that carry a session token, and the signed-in reads, no-store", async () => {
    const user = await seedAndSignIn();
    const me = await call("GET", "/v1/me", { token: user.token });
    expect(me.status).toBe(200);
    expect(me.headers.get("cache-control")).toBe("no-store");
    const signIn = await call("POST", "/v1/sessions", { body: { username: user.username, password: STRONG_PASSWORD } });
    expect(signIn.status).toBe(201);
    expect(signIn.headers.get("cache-control")).toBe("no-store");
    expect(signIn.headers.get("x-content-type-options")).toBe("nosniff");
  });

  it("gives the demo sign-in page a strict CSP that allows exactly its own style and script", async () => {
    const res = await call("GET", "/demo/login");
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toMatch(/^text\/html/);
    expect(res.headers.get("x-content-type-options")).toBe("nosniff");
    expect(res.headers.get("referrer-policy")).toBe("no-referrer");
    expect(res.headers.get("cache-control")).toBe("no-store");
    expect(res.headers.get("cross-origin-opener-policy")).toBe("same-origin");
    expect(res.headers.get("x-frame-options")).toBe("DENY");
    const directives = new Map(
      (res.headers.get("content-security-policy") ?? "").split(";").map((d) => {
        const [name = "", ...values] = d.trim().split(/\s+/);
        return [name, values.join(" ")] as const;
      }),
    );
    const page = await res.text();
    const style = /<style>([\s\S]*?)<\/style>/.exec(page)?.[1] ?? "";
    const script = /<script>([\s\S]*?)<\/script>/.exec(page)?.[1] ?? "";
    expect(style).toContain("box-sizing");
    expect(script).toContain("/v1/sessions");
    expect(Object.fromEntries(directives)).toEqual({
      "default-src": "'none'",
      "style-src": `'sha256-${await sha256Base64(style)}'`,
      "script-src": `'sha256-${await sha256Base64(script)}'`,
      "connect-src": "'self'",
      "form-action": "'self'",
      "frame-ancestors": "'none'",
      "base-uri": "'none'",
    });
    // One inline block of each kind, no attribute handlers: nothing else on the page needs allowing.
    expect(page.match(/<script/g)).toHaveLength(1);
    expect(page.match(/<style/g)).toHaveLength(1);
    expect(page).not.toMatch(/\son[a-z]+=|style="/);
  });

  it("a built page's CSP allows scripts, styles and images from this origin only, never inline", () => {
    const csp = contentSecurityPolicy({ fromSelf: true });
    expect(csp.split("; ")).toEqual([
      "default-src 'none'",
      "script-src 'self'",
      "style-src 'self'",
      "img-src 'self'",
      "connect-src 'self'",
      "form-action 'self'",
      "frame-ancestors 'none'",
      "base-uri 'none'",
    ]);
    // Without it, an HTML answer still loads nothing at all.
    expect(contentSecurityPolicy()).not.toMatch(/script-src|style-src|img-src/);
  });
});

describe("https only, outside development", () => {
  const production = { ...env, ENVIRONMENT: "production" };
  const request = (url: string, init: RequestInit = {}, settings: Partial<Env> = production) => createApp().request(url, init, { ...env, ...settings }, createExecutionContext());

  it("sends a read over plain http to https, and refuses anything else that came in clear", async () => {
    const page = await request("http://sspr.example.test/reset?x=1");
    expect(page.status).toBe(308);
    expect(page.headers.get("location")).toBe("https://sspr.example.test/reset?x=1");
    const signIn = await request("http://sspr.example.test/v1/sessions", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ username: "a", password: "b" }) });
    expect(signIn.status).toBe(400);
    expect((await signIn.json<any>()).error.code).toBe("invalid_request");
    expect(signIn.headers.get("strict-transport-security")).toBeNull();
  });

  it("keeps browsers on https with HSTS, on every answer", async () => {
    for (const [path, status] of [["/v1/config", 200], ["/v1/nope", 404]] as const) {
      const res = await request(`https://sspr.example.test${path}`);
      expect(res.status).toBe(status);
      expect(res.headers.get("strict-transport-security")).toBe("max-age=31536000; includeSubDomains");
    }
  });

  it("leaves loopback and development alone", async () => {
    expect((await request("http://127.0.0.1:8787/v1/config")).status).toBe(200);
    const dev = await request("http://sspr.example.test/v1/config", {}, { ENVIRONMENT: "development" });
    expect(dev.status).toBe(200);
    expect(dev.headers.get("strict-transport-security")).toBeNull();
  });
});
