import { beforeAll, describe, expect, it } from "vitest";
import { callJson, seedAndSignIn, seedMethod, seedUser } from "./helpers.js";

/**
 * GET /v1/admin/users?registration=: the console's filter by registration state. Its SQL must agree
 * with AdminUser.registration, which registration/status.ts computes in JS, for every kind of user.
 */
let token: string;
const group = `reg-filter-${Date.now()}`;

interface Listed {
  username: string;
  registration: { complete: boolean; methods: { status: string }[] };
}

async function list(query: string, limit = 2): Promise<Listed[]> {
  const seen: Listed[] = [];
  let cursor: string | null = null;
  do {
    const page: { status: number; body: { users: Listed[]; nextCursor: string | null } } = await callJson(
      "GET",
      `/v1/admin/users?group=${group}&${query}&limit=${limit}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ""}`,
      { token },
    );
    expect(page.status).toBe(200);
    seen.push(...page.body.users);
    cursor = page.body.nextCursor;
  } while (cursor);
  return seen;
}

const stateOf = (u: Listed) => (u.registration.complete ? "registered" : u.registration.methods.some((m) => m.status === "active") ? "partial" : "unregistered");

describe("GET /v1/admin/users?registration=", () => {
  beforeAll(async () => {
    ({ token } = await seedAndSignIn({ roles: ["global_admin"] }));
    const people: { name: string; roles?: string[]; methods: { type?: "email" | "sms" | "totp" | "security_questions"; status?: "pending" | "active" }[] }[] = [
      { name: "a-none", methods: [] },
      { name: "b-email", methods: [{ type: "email" }] },
      { name: "c-pending", methods: [{ type: "email", status: "pending" }] },
      { name: "d-questions-only", methods: [{ type: "security_questions" }] },
      { name: "e-admin-one", roles: ["user", "global_admin"], methods: [{ type: "email" }] },
      { name: "f-admin-two", roles: ["user", "password_admin"], methods: [{ type: "email" }, { type: "totp" }] },
      { name: "g-email-app", methods: [{ type: "email" }, { type: "totp" }] },
    ];
    for (const p of people) {
      const user = await seedUser({ username: `${p.name}.${group}@example.com`, groups: [group], ...(p.roles ? { roles: p.roles } : {}) });
      for (const m of p.methods) await seedMethod(user.id, { type: m.type ?? "email", ...(m.status ? { status: m.status } : {}) });
    }
  });

  it("lists each state's users, agreeing with each user's registration, page by page", async () => {
    const everyone = await list("");
    expect(everyone).toHaveLength(7);
    for (const state of ["registered", "partial", "unregistered"] as const) {
      const expected = everyone.filter((u) => stateOf(u) === state).map((u) => u.username);
      expect({ state, found: (await list(`registration=${state}`)).map((u) => u.username) }).toEqual({ state, found: expected });
    }
    const short = (state: string) => everyone.filter((u) => stateOf(u) === state).map((u) => u.username.split(".")[0]);
    expect(short("registered")).toEqual(["b-email", "f-admin-two", "g-email-app"]);
    expect(short("partial")).toEqual(["d-questions-only", "e-admin-one"]);
    expect(short("unregistered")).toEqual(["a-none", "c-pending"]);
  });

  it("combines with q and role, and refuses an unknown state in the contract's error shape", async () => {
    expect((await list("registration=registered&q=email")).map((u) => u.username.split(".")[0])).toEqual(["b-email", "g-email-app"]);
    expect((await list("registration=partial&role=global_admin")).map((u) => u.username.split(".")[0])).toEqual(["e-admin-one"]);
    const refused = await callJson("GET", "/v1/admin/users?registration=maybe", { token });
    expect(refused.status).toBe(400);
    expect(refused.body.error.code).toBe("invalid_request");
  });
});
