import { env } from "cloudflare:workers";
import { eq, sql } from "drizzle-orm";
import { drizzle } from "drizzle-orm/d1";
import { describe, expect, it } from "vitest";
import type { Db } from "../../worker/src/context.js";
import { frozen } from "../../worker/src/db/frozen-sql.js";
import { rateCounters, users } from "../../worker/src/db/schema.js";
import { statementTemplate } from "../../worker/src/db/templates.js";
import { incrementCounter } from "../../worker/src/limits/counters.js";
import { seedUser, uniqueName } from "./helpers.js";

/**
 * Issue 13: the reset flow's statements are rendered once and bound per request (db/templates.ts), and
 * their constant fragments are rendered once with their values written in (db/frozen-sql.ts). Run on
 * real D1, against what drizzle itself returns for the same statements.
 */
const db = drizzle(env.DB) as Db;

describe("statement templates", () => {
  let builds = 0;
  const template = statementTemplate(["username", "key", "now"], (db, p) => {
    builds++;
    return [db.select().from(users).where(eq(users.username, p.username)).limit(1), incrementCounter(db, { key: p.key, windowMs: 60_000 }, p.now)] as const;
  });

  it("binds each request's values to SQL rendered once, and maps rows as drizzle does", async () => {
    const [a, b] = [await seedUser({ roles: ["user", "password_admin"], groups: ["pilot"] }), await seedUser()];
    const key = uniqueName("template-counter");
    const now = Date.now();
    const [usersA, countedA] = await db.batch(template(db, { username: a.username, key, now }));
    const [usersB, countedB] = await db.batch(template(db, { username: b.username, key, now: now + 1 }));
    expect(builds).toBe(1);
    const direct = await db.select().from(users).where(eq(users.username, a.username)).limit(1);
    expect(usersA).toEqual(direct);
    expect(usersA[0]!.roles).toEqual(["user", "password_admin"]);
    expect(usersB[0]!.id).toBe(b.id);
    expect(countedA).toEqual([{ key, count: 1, windowStart: now, windowEnd: now + 60_000 }]);
    expect(countedB).toEqual([{ key, count: 2, windowStart: now, windowEnd: now + 60_000 }]);
    const [stored] = await db.select().from(rateCounters).where(eq(rateCounters.key, key));
    expect(stored?.count).toBe(2);
  });

  it("refuses a request that leaves out a value", () => {
    expect(() => template(db, { username: "x", now: 1 } as never)).toThrow(/placeholder "key"/);
  });
});

describe("frozen fragments", () => {
  it("render as drizzle renders them with the values written in, quotes escaped", async () => {
    const fragment = sql`select ${"it's"} as text, ${42} as number, json_extract(${JSON.stringify({ a: ["x'y"] })}, ${"$.a[0]"}) as nested`;
    const [row] = await db.all<{ text: string; number: number; nested: string }>(sql`${frozen(fragment)}`);
    expect(row).toEqual({ text: "it's", number: 42, nested: "x'y" });
    const [bound] = await db.all(fragment);
    expect(row).toEqual(bound);
  });
});
