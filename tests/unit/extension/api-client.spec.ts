import { describe, expect, it } from "vitest";
import { z } from "zod";
import { apiRequest, parseRetryAfter } from "../../../extension/api-client.js";
import { apiError, fakeWorker, networkDown, WORKER } from "./support/fake-worker.js";

const schema = z.object({ ok: z.literal(true) });

describe("api-client", () => {
  it("returns the validated body", async () => {
    fakeWorker().on("GET /thing", { status: 200, body: { ok: true } });
    expect(await apiRequest(WORKER, "/thing", schema)).toEqual({ ok: true, value: { ok: true } });
  });

  it("turns a body outside the contract into bad_response", async () => {
    fakeWorker().on("GET /thing", { status: 200, body: { ok: "yes" } });
    const res = await apiRequest(WORKER, "/thing", schema);
    expect(res.ok || res.error.code).toBe("bad_response");
  });

  it("passes the contract's error code, details and Retry-After through", async () => {
    fakeWorker().on("POST /thing", apiError(429, "reset_blocked", { retryAfter: 3600, details: [{ attemptsLeft: 0 }] }));
    const res = await apiRequest(WORKER, "/thing", schema, { method: "POST", body: {} });
    expect(res).toEqual({ ok: false, error: { code: "reset_blocked", message: "worker says reset_blocked", details: [{ attemptsLeft: 0 }], retryAfterSeconds: 3600 } });
  });

  it("treats an error without the contract's shape (a proxy's HTML page) as bad_response", async () => {
    fakeWorker().on("GET /thing", { status: 502, body: "<html>Bad gateway</html>" });
    const res = await apiRequest(WORKER, "/thing", schema);
    expect(res.ok || res.error.code).toBe("bad_response");
  });

  it("reports a refused connection as network", async () => {
    networkDown();
    const res = await apiRequest(WORKER, "/thing", schema);
    expect(res.ok || res.error.code).toBe("network");
  });

  it("sends JSON with the bearer token and without cookies", async () => {
    const worker = fakeWorker().on("POST /thing", { status: 200, body: { ok: true } });
    await apiRequest(WORKER, "/thing", schema, { method: "POST", body: { a: 1 }, token: "tok" });
    expect(worker.calls[0]?.headers).toMatchObject({ "Content-Type": "application/json", Authorization: "Bearer tok" });
    const init = (fetch as unknown as { mock: { calls: [string, RequestInit][] } }).mock.calls[0]![1];
    expect(init.credentials).toBe("omit");
    // Never follow a redirect: a 307/308 would resend the body (a password) elsewhere.
    expect(init.redirect).toBe("error");
  });

  it.each([
    ["120", 120],
    [" 7 ", 7],
    [null, undefined],
    ["soon", undefined],
  ])("parses Retry-After %s", (header, expected) => {
    expect(parseRetryAfter(header)).toBe(expected);
  });

  it("parses an HTTP-date Retry-After into seconds from now", () => {
    const now = Date.parse("2026-01-01T00:00:00Z");
    expect(parseRetryAfter("Thu, 01 Jan 2026 01:00:00 GMT", now)).toBe(3600);
  });
});
