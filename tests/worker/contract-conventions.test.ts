import { createExecutionContext } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { createApp } from "../../worker/src/app.js";
import { BASE, call, callJson } from "./helpers.js";

/** The worker as deployed with other settings (the test pool itself runs with ENVIRONMENT=development). */
async function callWith(settings: Partial<Env>, method: string, path: string, headers: Record<string, string> = {}): Promise<Response> {
  return await createApp().request(`${BASE}${path}`, { method, headers }, { ...env, ...settings }, createExecutionContext());
}

const corsHeaderNames = (res: Response) => [...res.headers.keys()].filter((name) => name.toLowerCase().startsWith("access-control-"));
const varies = (res: Response) => (res.headers.get("vary") ?? "").split(",").map((v) => v.trim().toLowerCase());

const DEV_PATHS = ["/v1/dev/outbox", "/v1/dev/clock", "/v1/dev/baseline"];

describe("contract conventions", () => {
  it("answers an unknown route with 404 not_found in the error shape", async () => {
    const { status, body } = await callJson("GET", "/v1/nope");
    expect(status).toBe(404);
    expect(body).toEqual({ error: { code: "not_found", message: expect.any(String) } });
  });

  it("answers a wrong method on a known route with 405 and Allow", async () => {
    const { status, body, res } = await callJson("DELETE", "/v1/config");
    expect(status).toBe(405);
    expect(body.error.code).toBe("method_not_allowed");
    expect(res.headers.get("allow")).toBe("GET");
  });

  it.each(["application/json ; charset=utf-8", "APPLICATION/JSON;CHARSET=UTF-8", "application/json;", 'application/json; charset="utf-8"', "application/merge-patch+json"])(
    "takes a JSON body sent as %s (RFC 9110's media-type grammar)",
    async (type) => {
      const res = await call("POST", "/v1/resets", { raw: JSON.stringify({ username: "nobody-at-all" }), headers: { "content-type": type } });
      expect(res.status).toBe(200);
      expect((await res.json<any>()).status).toBe("unavailable");
    },
  );

  it("answers a non-JSON body with 415", async () => {
    const res = await call("POST", "/v1/sessions", { raw: "username=a&password=b", headers: { "content-type": "application/x-www-form-urlencoded" } });
    expect(res.status).toBe(415);
    expect((await res.json<any>()).error.code).toBe("unsupported_media_type");
  });

  it("answers a body over 64 KiB with 413", async () => {
    const res = await call("POST", "/v1/sessions", { body: { username: "a", password: "x".repeat(70_000) } });
    expect(res.status).toBe(413);
    expect((await res.json<any>()).error.code).toBe("payload_too_large");
  });

  it.each([
    ["malformed JSON", "{nope"],
    ["a JSON array", "[]"],
    ["JSON null", "null"],
    ["a missing field", JSON.stringify({ username: "a" })],
    ["a wrong type", JSON.stringify({ username: 1, password: "b" })],
    ["an unknown field", JSON.stringify({ username: "a", password: "b", admin: true })],
  ])("answers %s with 400 invalid_request", async (_name, raw) => {
    const res = await call("POST", "/v1/sessions", { raw, headers: { "content-type": "application/json" } });
    expect(res.status).toBe(400);
    expect((await res.json<any>()).error.code).toBe("invalid_request");
  });

  it("names the failing fields in details without echoing the input", async () => {
    const secret = "my-Secret-Password-123";
    const { status, body } = await callJson("POST", "/v1/sessions", { body: { username: ["x"], password: secret, extra: secret } });
    expect(status).toBe(400);
    expect(body.error.details).toEqual(
      expect.arrayContaining([
        { path: "username", message: expect.any(String) },
        { path: "extra", message: "Unknown field." },
      ]),
    );
    expect(JSON.stringify(body)).not.toContain(secret);
  });

  it("gives byte-identical bodies for equal failures", async () => {
    const a = await call("GET", "/v1/me");
    const b = await call("GET", "/v1/me", { token: "a".repeat(40) });
    expect(a.status).toBe(401);
    expect(b.status).toBe(401);
    expect(await a.text()).toBe(await b.text());
  });

  it("reports D1 round trips in Server-Timing in development", async () => {
    const res = await call("GET", "/v1/config");
    expect(res.status).toBe(200);
    expect(res.headers.get("server-timing")).toMatch(/^d1;desc="1 round trips";dur=[\d.]+$/);
  });

  it("serves the OpenAPI 3.1 document built from the validators", async () => {
    const { status, body } = await callJson("GET", "/v1/openapi.json");
    expect(status).toBe(200);
    expect(body.openapi).toBe("3.1.0");
    expect(Object.keys(body.paths)).toEqual(expect.arrayContaining(["/v1/sessions", "/v1/admin/policy", "/v1/config"]));
    const signIn = body.paths["/v1/sessions"].post.requestBody.content["application/json"].schema;
    expect(signIn.required).toEqual(["username", "password"]);
    expect(signIn.additionalProperties).toBe(false);
  });

  it("lists the development-only routes in the OpenAPI document in development", async () => {
    const { body } = await callJson("GET", "/v1/openapi.json");
    expect(Object.keys(body.paths)).toEqual(expect.arrayContaining(DEV_PATHS));
  });

  it("leaves the development-only routes out of the OpenAPI document outside development, where they are 404", async () => {
    const res = await callWith({ ENVIRONMENT: "production" }, "GET", "/v1/openapi.json");
    expect(res.status).toBe(200);
    const body = await res.json<any>();
    expect(body.openapi).toBe("3.1.0");
    const paths = Object.keys(body.paths);
    expect(paths).toEqual(expect.arrayContaining(["/v1/sessions", "/v1/admin/policy", "/v1/config", "/v1/admin/audit"]));
    expect(paths.filter((p) => p.startsWith("/v1/dev/") || p.startsWith("/demo/"))).toEqual([]);
    for (const path of [...DEV_PATHS, "/demo/login"]) {
      const method = path === "/v1/dev/clock" ? "POST" : "GET";
      expect((await callWith({ ENVIRONMENT: "production" }, method, path)).status).toBe(404);
    }
  });
});

describe("CORS", () => {
  it("gives CORS headers to a loopback origin in development", async () => {
    const res = await call("GET", "/v1/config", { headers: { origin: "http://localhost:3000" } });
    expect(res.headers.get("access-control-allow-origin")).toBe("http://localhost:3000");
  });

  it("gives none to any other origin", async () => {
    const res = await call("GET", "/v1/config", { headers: { origin: "https://evil.example" } });
    expect(res.status).toBe(200);
    expect(res.headers.get("access-control-allow-origin")).toBeNull();
  });

  it("answers a preflight from an allowed origin", async () => {
    const res = await call("OPTIONS", "/v1/sessions", {
      headers: { origin: "http://127.0.0.1:5173", "access-control-request-method": "POST", "access-control-request-headers": "content-type" },
    });
    expect(res.status).toBe(204);
    expect(res.headers.get("access-control-allow-methods")).toContain("POST");
  });

  it("answers an allowed origin's preflight in full, varying on Origin", async () => {
    const res = await call("OPTIONS", "/v1/admin/policy", {
      headers: { origin: "http://localhost:5173", "access-control-request-method": "PATCH", "access-control-request-headers": "if-match, authorization" },
    });
    expect(res.status).toBe(204);
    expect(res.headers.get("access-control-allow-origin")).toBe("http://localhost:5173");
    expect(res.headers.get("access-control-allow-methods")).toBe("GET,POST,PUT,PATCH,DELETE");
    expect(res.headers.get("access-control-allow-headers")).toBe("Content-Type,Authorization,If-Match");
    expect(res.headers.get("access-control-max-age")).toBe("600");
    expect(varies(res)).toContain("origin");
  });

  it("exposes headers to an allowed origin's requests, varying on Origin", async () => {
    const res = await call("GET", "/v1/config", { headers: { origin: "http://127.0.0.1:4000" } });
    expect(res.headers.get("access-control-allow-origin")).toBe("http://127.0.0.1:4000");
    expect(res.headers.get("access-control-expose-headers")).toBe("Retry-After,ETag,Server-Timing");
    expect(varies(res)).toContain("origin");
  });

  it.each([
    ["another origin", { origin: "https://evil.example" }],
    ["a look-alike of a loopback origin", { origin: "http://localhost.evil.example" }],
    ["no origin", {}],
  ])("gives no Access-Control-* header at all to %s, but varies on Origin", async (_name, headers: Record<string, string>) => {
    const res = await call("GET", "/v1/config", { headers });
    expect(res.status).toBe(200);
    expect(corsHeaderNames(res)).toEqual([]);
    expect(varies(res)).toContain("origin");
  });

  it.each([
    ["another origin", { origin: "https://evil.example" }],
    ["no origin", {}],
  ])("routes a preflight from %s as a plain OPTIONS, with no Access-Control-* header", async (_name, origin: Record<string, string>) => {
    const headers = { ...origin, "access-control-request-method": "POST", "access-control-request-headers": "content-type" };
    const known = await call("OPTIONS", "/v1/sessions", { headers });
    expect(known.status).toBe(405);
    expect(known.headers.get("allow")).toBe("POST");
    expect(corsHeaderNames(known)).toEqual([]);
    expect(varies(known)).toContain("origin");
    const unknown = await call("OPTIONS", "/v1/nope", { headers });
    expect(unknown.status).toBe(404);
    expect(corsHeaderNames(unknown)).toEqual([]);
  });

  it("outside development: only the ALLOWED_ORIGINS get CORS headers, loopback pages none", async () => {
    const production = { ENVIRONMENT: "production", ALLOWED_ORIGINS: "chrome-extension://abcdefghijklmnop, https://admin.example" };
    const extension = await callWith(production, "GET", "/v1/config", { origin: "chrome-extension://abcdefghijklmnop" });
    expect(extension.headers.get("access-control-allow-origin")).toBe("chrome-extension://abcdefghijklmnop");
    const preflight = await callWith(production, "OPTIONS", "/v1/sessions", { origin: "https://admin.example", "access-control-request-method": "POST" });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get("access-control-allow-origin")).toBe("https://admin.example");
    const loopback = await callWith(production, "GET", "/v1/config", { origin: "http://localhost:3000" });
    expect(corsHeaderNames(loopback)).toEqual([]);
    const loopbackPreflight = await callWith(production, "OPTIONS", "/v1/sessions", { origin: "http://127.0.0.1:5173", "access-control-request-method": "POST" });
    expect(loopbackPreflight.status).toBe(405);
    expect(corsHeaderNames(loopbackPreflight)).toEqual([]);
  });
});
