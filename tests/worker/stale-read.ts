import { env } from "cloudflare:workers";
import { eq } from "drizzle-orm";
import { drizzle } from "drizzle-orm/d1";
import { now } from "../../worker/src/clock.js";
import type { Db, FlowContext } from "../../worker/src/context.js";
import * as schema from "../../worker/src/db/schema.js";
import { directory } from "../../worker/src/directory/directory.js";
import { currentPolicyQuery, policyFromRow } from "../../worker/src/policy/store.js";
import type { LoadedReset } from "../../worker/src/resets/authenticate-reset.js";
import { RequestTiming } from "../../worker/src/timing.js";

/**
 * For races between a flow's read and its write: read what a request would have read, change the
 * database, then call the flow's write step with the stale read.
 */
export const directDb = () => drizzle(env.DB, { schema }) as unknown as Db;

/** The reset, its user, policy and active methods, as authenticateReset would have loaded them. */
export async function loadStale(db: Db, resetId: string, userId: string): Promise<LoadedReset> {
  const [reset] = await db.select().from(schema.resets).where(eq(schema.resets.id, resetId));
  const [user] = await db.select().from(schema.users).where(eq(schema.users.id, userId));
  const policy = policyFromRow((await currentPolicyQuery(db))[0]);
  const registered = await directory.methodsOf(db, userId);
  return { reset: reset!, user: user!, policy, methods: registered.filter((m) => m.status === "active"), registered };
}

/** directDb, with `beforeBatch(n)` run before its n-th batch (1-based) goes to D1. */
export function dbWithHook(beforeBatch: (n: number) => Promise<void>): Db {
  const db = directDb();
  let n = 0;
  return new Proxy(db, {
    get(target, key, receiver) {
      if (key !== "batch") return Reflect.get(target, key, receiver);
      return async (statements: Parameters<Db["batch"]>[0]) => {
        await beforeBatch(++n);
        return target.batch(statements);
      };
    },
  });
}

export function flowContext(db: Db): FlowContext {
  return { env, db, now: now(), ip: null, timing: new RequestTiming(), waitUntil: () => {} };
}
