import { beforeAll, describe, expect, it } from "vitest";
import { callJson, seedAndSignIn, seedMethod, seedUser, uniqueName } from "./helpers.js";

let token: string;
const group = `list-${Date.now().toString(36)}`;
const seeded: { id: string; username: string }[] = [];

beforeAll(async () => {
  ({ token } = await seedAndSignIn({ roles: ["global_admin"] }));
  for (let i = 0; i < 30; i++) {
    const user = await seedUser({
      username: uniqueName(`walk${String(i).padStart(2, "0")}`),
      displayName: i === 3 ? "Zelda Quartz" : i === 4 ? "Percent 100% Sure" : `Walker ${i}`,
      groups: [group, ...(i % 3 === 0 ? ["thirds"] : [])],
      roles: i % 10 === 0 ? ["password_admin"] : ["user"],
    });
    if (i % 5 === 0) await seedMethod(user.id, { type: "email", target: `walker${i}@example.org` });
    seeded.push(user);
  }
});

const list = (query: string) => callJson("GET", `/v1/admin/users?${query}`, { token });

describe("GET /v1/admin/users", () => {
  it("walks every page once: no duplicates, none missing, ordered by username, null cursor at the end", async () => {
    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const { status, body } = await list(`group=${group}&limit=7${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ""}`);
      expect(status).toBe(200);
      expect(body.users.length).toBeLessThanOrEqual(7);
      seen.push(...body.users.map((u: any) => u.username));
      cursor = body.nextCursor;
      pages++;
    } while (cursor && pages < 10);
    expect(cursor).toBeNull();
    expect(pages).toBe(5);
    expect(new Set(seen).size).toBe(30);
    expect(seen).toEqual(seeded.map((u) => u.username).sort());
  });

  it("ends with a null cursor when the last page is exactly full", async () => {
    const { status, body } = await list(`group=${group}&limit=30`);
    expect(status).toBe(200);
    expect(body.users).toHaveLength(30);
    expect(body.nextCursor).toBeNull();
  });

  it("searches username and display name case-insensitively, treating % and _ as plain characters", async () => {
    const byName = await list(`q=${encodeURIComponent("zELDA quA")}`);
    expect(byName.status).toBe(200);
    expect(byName.body.users.map((u: any) => u.displayName)).toEqual(["Zelda Quartz"]);
    const byUsername = await list(`q=${encodeURIComponent(seeded[7]!.username.toUpperCase())}`);
    expect(byUsername.status).toBe(200);
    expect(byUsername.body.users.map((u: any) => u.id)).toEqual([seeded[7]!.id]);
    const percent = await list(`q=${encodeURIComponent("100%")}`);
    expect(percent.status).toBe(200);
    expect(percent.body.users.map((u: any) => u.displayName)).toEqual(["Percent 100% Sure"]);
    const wildcard = await list(`q=${encodeURIComponent("w_lk")}`);
    expect(wildcard.status).toBe(200);
    expect(wildcard.body.users).toEqual([]);
  });

  it("folds non-ASCII letters too: names created, imported and renamed through the API are found in any case", async () => {
    const names = (r: { body: { users: { displayName: string }[] } }) => r.body.users.map((u) => u.displayName);
    const created = await callJson("POST", "/v1/admin/users", { token, body: { username: uniqueName("omer"), displayName: "Ömer Müller" } });
    expect(created.status).toBe(201);
    const imported = await callJson("POST", "/v1/admin/users/import", { token, body: { users: [{ username: uniqueName("lukasz"), displayName: "Łukasz Żółć" }] } });
    expect(imported.body).toEqual({ created: 1, errors: [] });

    expect(names(await list(`q=${encodeURIComponent("MÜLLER")}`))).toEqual(["Ömer Müller"]);
    expect(names(await list(`q=${encodeURIComponent("ömer m")}`))).toEqual(["Ömer Müller"]);
    expect(names(await list(`q=${encodeURIComponent("ŻÓŁĆ")}`))).toEqual(["Łukasz Żółć"]);

    const renamed = await callJson("PATCH", `/v1/admin/users/${created.body.user.id}`, { token, body: { displayName: "Åsa Ström" } });
    expect(renamed.status).toBe(200);
    expect(names(await list(`q=${encodeURIComponent("STRÖM")}`))).toEqual(["Åsa Ström"]);
    expect(names(await list(`q=${encodeURIComponent("müller")}`))).toEqual([]);
  });

  it("filters by group and role together", async () => {
    const { status, body } = await list(`group=thirds&role=password_admin`);
    expect(status).toBe(200);
    // Users 0, 10, 20 are password admins; of those only user 0 is in "thirds".
    expect(body.users.map((u: any) => u.id)).toEqual([seeded[0]!.id]);
    const admins = await list(`group=${group}&role=password_admin`);
    expect(admins.status).toBe(200);
    expect(admins.body.users.map((u: any) => u.id)).toEqual([seeded[0]!.id, seeded[10]!.id, seeded[20]!.id]);
  });

  it("shows registration with hints only, never a secret or a method target", async () => {
    const { status, body } = await list(`group=${group}&limit=100`);
    expect(status).toBe(200);
    const first = body.users.find((u: any) => u.id === seeded[0]!.id);
    expect(first.registration.methods).toEqual([expect.objectContaining({ type: "email", status: "active", hint: "•••" })]);
    const text = JSON.stringify(body);
    expect(text).not.toMatch(/argon2|password_?hash|walker0@example\.org|target|secret/i);
  });

  it.each([
    ["a cursor that is not one", "cursor=nope"],
    ["a cursor of another list", `cursor=${btoa("audit:5").replace(/=+$/, "")}`],
    ["a limit of 0", "limit=0"],
    ["a limit over 1000", "limit=1001"],
    ["an unknown role", "role=root"],
    ["an unknown parameter", "sort=desc"],
  ])("answers %s with 400", async (_name, query) => {
    const { status, body } = await list(query);
    expect(status).toBe(400);
    expect(body.error.code).toBe("invalid_request");
  });
});
