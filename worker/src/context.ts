import type { Locale } from "../../shared/locale.js";
import type { Role } from "../../shared/api/common.js";
import type { DrizzleD1Database } from "drizzle-orm/d1";
import type { RequestTiming } from "./timing.js";

/** Without the schema generic: nothing uses drizzle's relational `db.query`, and building its config cost ~23 µs a request. */
export type Db = DrizzleD1Database & { $client: D1Database };

export interface SessionUser {
  id: string;
  username: string;
  displayName: string;
  roles: string[];
  mustChangePassword: boolean;
}

export interface AppEnv {
  Bindings: Env;
  Variables: {
    db: Db;
    timing: RequestTiming;
    /** The request's time, from the (dev-adjustable) clock, read once so one request sees one instant. */
    now: number;
    ip: string | null;
    /** The request's Accept-Language as a shipped locale (issue 18), null when it names none: errors speak it. */
    locale: Locale | null;
    session: { tokenHash: string; user: SessionUser; expiresAt: number };
    /** Who the matched route serves, set before validation (routes/access.ts). */
    access: Access;
    /** The enrolled agent calling an agent route, checked before validation (routes/agent-sync.ts). */
    agent: import("./directory/agent/authenticate-agent.js").AgentRow;
  };
}

/** A route's audience: a signed-in user (optionally with one of some roles), or the holder of a reset token. */
export type Access = { kind: "session"; roles?: Role[]; allowMustChange?: boolean; fresh?: boolean } | { kind: "token" };

export const isDevelopment = (env: Env): boolean => env.ENVIRONMENT === "development";

/** What a flow needs from the request, so flows stay independent of Hono. */
export interface FlowContext {
  env: Env;
  db: Db;
  now: number;
  ip: string | null;
  /** The request's language (Accept-Language); absent for work no request asked for. */
  locale?: Locale | null;
  timing: import("./timing.js").RequestTiming;
  waitUntil: (promise: Promise<unknown>) => void;
}

export function flowContext(c: import("hono").Context<AppEnv>): FlowContext {
  return {
    env: c.env,
    db: c.get("db"),
    now: c.get("now"),
    ip: c.get("ip"),
    locale: c.get("locale"),
    timing: c.get("timing"),
    waitUntil: (p) => c.executionCtx.waitUntil(p),
  };
}
