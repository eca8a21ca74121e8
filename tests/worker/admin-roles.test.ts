import { beforeAll, describe, expect, it } from "vitest";
import { call, seedAndSignIn, seedUser, uniqueName } from "./helpers.js";

/**
 * Contract "Admin": every admin route × caller role × target (an account without admin roles, or a
 * password admin) with the expected status. A password admin reads everything, acts only on accounts
 * without admin roles, and never grants roles; only a global admin imports and deletes.
 */
type Caller = "none" | "user" | "password_admin" | "global_admin";
type Target = "user" | "admin";
type Expect = number | { user: number; admin: number };

interface Route {
  name: string;
  request: (targetId: string, target: Target) => { method: string; path: string; body?: unknown };
  passwordAdmin: Expect;
  globalAdmin: Expect;
}

const newUserBody = (target: Target) => ({ username: uniqueName("matrix"), displayName: "Matrix New", roles: target === "admin" ? ["password_admin"] : ["user"] });

const ROUTES: Route[] = [
  { name: "GET users", request: () => ({ method: "GET", path: "/v1/admin/users?limit=5" }), passwordAdmin: 200, globalAdmin: 200 },
  { name: "POST users", request: (_, t) => ({ method: "POST", path: "/v1/admin/users", body: newUserBody(t) }), passwordAdmin: { user: 201, admin: 403 }, globalAdmin: 201 },
  { name: "POST users/import", request: (_, t) => ({ method: "POST", path: "/v1/admin/users/import", body: { users: [newUserBody(t)] } }), passwordAdmin: 403, globalAdmin: 200 },
  { name: "GET user", request: (id) => ({ method: "GET", path: `/v1/admin/users/${id}` }), passwordAdmin: 200, globalAdmin: 200 },
  { name: "PATCH user", request: (id) => ({ method: "PATCH", path: `/v1/admin/users/${id}`, body: { displayName: "Renamed" } }), passwordAdmin: { user: 200, admin: 403 }, globalAdmin: 200 },
  { name: "PATCH user roles to [user]", request: (id) => ({ method: "PATCH", path: `/v1/admin/users/${id}`, body: { roles: ["user"] } }), passwordAdmin: { user: 200, admin: 403 }, globalAdmin: 200 },
  { name: "PATCH user granting a role", request: (id) => ({ method: "PATCH", path: `/v1/admin/users/${id}`, body: { roles: ["user", "password_admin"] } }), passwordAdmin: 403, globalAdmin: 200 },
  { name: "DELETE user", request: (id) => ({ method: "DELETE", path: `/v1/admin/users/${id}` }), passwordAdmin: 403, globalAdmin: 204 },
  { name: "POST password", request: (id) => ({ method: "POST", path: `/v1/admin/users/${id}/password` }), passwordAdmin: { user: 200, admin: 403 }, globalAdmin: 200 },
  { name: "DELETE methods", request: (id) => ({ method: "DELETE", path: `/v1/admin/users/${id}/methods` }), passwordAdmin: { user: 204, admin: 403 }, globalAdmin: 204 },
  { name: "POST unlock", request: (id) => ({ method: "POST", path: `/v1/admin/users/${id}/unlock` }), passwordAdmin: { user: 204, admin: 403 }, globalAdmin: 204 },
  { name: "GET audit", request: (id) => ({ method: "GET", path: `/v1/admin/audit?userId=${id}` }), passwordAdmin: 200, globalAdmin: 200 },
  { name: "GET registration report", request: () => ({ method: "GET", path: "/v1/admin/reports/registration" }), passwordAdmin: 200, globalAdmin: 200 },
  { name: "GET resets report", request: () => ({ method: "GET", path: "/v1/admin/reports/resets" }), passwordAdmin: 200, globalAdmin: 200 },
];

const expected = (route: Route, caller: Caller, target: Target): number => {
  if (caller === "none") return 401;
  if (caller === "user") return 403;
  const e = caller === "password_admin" ? route.passwordAdmin : route.globalAdmin;
  return typeof e === "number" ? e : e[target];
};

const CASES = ROUTES.flatMap((route) =>
  (["none", "user", "password_admin", "global_admin"] as Caller[]).flatMap((caller) =>
    (["user", "admin"] as Target[]).map((target) => ({ route, caller, target, status: expected(route, caller, target) })),
  ),
);

const tokens: Partial<Record<Caller, string>> = {};

beforeAll(async () => {
  tokens.user = (await seedAndSignIn()).token;
  tokens.password_admin = (await seedAndSignIn({ roles: ["password_admin"] })).token;
  tokens.global_admin = (await seedAndSignIn({ roles: ["global_admin"] })).token;
});

describe("admin routes × caller × target", () => {
  it.each(CASES.map((c) => [c.route.name, c.caller, c.target, c.status, c] as const))("%s by %s on a %s account: %i", async (_n, caller, target, status, c) => {
    // A fresh target per case: the routes change or delete it.
    const targetUser = await seedUser({ roles: target === "admin" ? ["password_admin"] : ["user"] });
    const { method, path, body } = c.route.request(targetUser.id, target);
    const res = await call(method, path, { token: tokens[caller], body });
    expect(res.status).toBe(status);
    if (status >= 400) {
      const error = ((await res.json()) as { error: { code: string } }).error;
      expect(error.code).toBe(status === 401 ? "unauthorized" : status === 403 ? "forbidden" : error.code);
    }
    if (status < 300) {
      // Spec §9: at most two D1 round trips per request, authentication included.
      const trips = Number(/d1;desc="(\d+) round trips"/.exec(res.headers.get("server-timing") ?? "")?.[1]);
      expect(trips).toBeGreaterThanOrEqual(1);
      expect(trips).toBeLessThanOrEqual(2);
    }
  });

  it("refuses an admin who must change their password first", async () => {
    const { token } = await seedAndSignIn({ roles: ["global_admin"], mustChangePassword: true });
    const res = await call("GET", "/v1/admin/users", { token });
    expect(res.status).toBe(403);
    expect(((await res.json()) as any).error.code).toBe("password_change_required");
  });
});
