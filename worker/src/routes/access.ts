import { z } from "zod";
import type { MiddlewareHandler } from "hono";
import { ADMIN_ROLES } from "../admin/access.js";
import type { Access, AppEnv } from "../context.js";
import { unauthorized } from "../errors.js";
import { bearerCredential } from "../sessions/authenticate.js";
import { issuesToDetails, rejectInput } from "../validate.js";
import { bearerSecurity } from "./openapi.js";

/**
 * Runs before validation: a missing credential is 401 whatever the body holds, and the route's access
 * is noted so that a validation failure checks the session first (401/403 before 400, as the contract
 * orders them). The handler still authenticates; this adds no D1 round trip to a valid request.
 */
const credentialFirst =
  (access: Access): MiddlewareHandler<AppEnv> =>
  async (c, next) => {
    if (!bearerCredential(c.req.header("authorization"))) throw unauthorized();
    c.set("access", access);
    await next();
  };

const EMPTY_BODY = z.strictObject({});

/** For routes that take no body: `{}` or nothing is fine, any field is unknown (contract: 400). */
const noBody: MiddlewareHandler<AppEnv> = async (c, next) => {
  const raw = await c.req.text();
  if (raw.length > 0) {
    // The body guard has already checked that it is JSON; the one validator reports what is wrong.
    const value: unknown = JSON.parse(raw);
    const parsed = EMPTY_BODY.safeParse(value);
    if (!parsed.success) return rejectInput(c, issuesToDetails(parsed.error.issues, value));
  }
  await next();
};

type RouteOptions = {
  /** The route takes no body: any field is unknown. */
  noBody?: true;
  /** A session that must change its password may call it (contract: GET /v1/me, POST /v1/me/password, sign-out). */
  allowMustChange?: true;
  /** The route changes recovery methods: a stale session gets 403 `reauth_required` (before a 400). */
  fresh?: true;
};

const secured = (access: Access, o: RouteOptions) => ({
  security: bearerSecurity,
  middleware: o.noBody ? [credentialFirst(access), noBody] : [credentialFirst(access)],
});

/** Route options: signed-in users (any role), admins, global admins, or a reset's own token. */
export const route = {
  signedIn: (o: RouteOptions = {}) =>
    secured({ kind: "session", ...(o.allowMustChange ? { allowMustChange: true } : {}), ...(o.fresh ? { fresh: true } : {}) }, o),
  admins: (o: RouteOptions = {}) => secured({ kind: "session", roles: ADMIN_ROLES }, o),
  globalAdmins: (o: RouteOptions = {}) => secured({ kind: "session", roles: ["global_admin"] }, o),
  resetToken: (o: RouteOptions = {}) => secured({ kind: "token" }, o),
};
