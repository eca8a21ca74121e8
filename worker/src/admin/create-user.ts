import type { Context } from "hono";
import type { CreateUserRequest } from "../../../shared/api/admin.js";
import { normaliseUsername } from "../../../shared/username.js";
import type { AppEnv } from "../context.js";
import { hashPassword, kdfParams } from "../crypto/password-hash.js";
import { directory } from "../directory/directory.js";
import { ApiError } from "../errors.js";
import { checkNewPassword } from "../passwords/new-password.js";
import { currentPolicyQuery, policyFromRow } from "../policy/store.js";
import { authenticate } from "../sessions/authenticate.js";
import { ADMIN_ROLES, assertMayGrant } from "./access.js";
import { insertUsersStatements, prepareNewUser } from "./new-users.js";
import { generateTemporaryPassword } from "./temporary-password.js";
import { adminUserReads, toAdminUser } from "./views.js";

export const usernameTaken = () => new ApiError(409, "conflict", "That username is taken.");

/**
 * POST /v1/admin/users. A given password is checked against the policy and set as it is; without one,
 * a temporary password is generated, returned this once and must be changed at first sign-in.
 * Round trips: auth + policy + "is the name taken" in one batch; the inserts, the audit row and the
 * read-back of the new AdminUser in the other.
 */
export async function createUser(c: Context<AppEnv>, body: CreateUserRequest) {
  const db = c.get("db");
  const now = c.get("now");
  const { auth, results } = await authenticate(c, { roles: ADMIN_ROLES }, () => [
    currentPolicyQuery(db),
    directory.findByUsername(db, normaliseUsername(body.username)),
  ]);
  const [policyRows, existing] = results;
  assertMayGrant(auth.user, body.roles);
  const policy = policyFromRow(policyRows[0]);
  const user = prepareNewUser(body, policy.methods.smsCountries);
  // Before any KDF work: a taken name costs nothing. A race past this check is caught by the insert.
  if (existing[0]) throw usernameTaken();

  const who = { username: user.username, displayName: user.displayName };
  let temporaryPassword: string | undefined;
  if (body.password !== undefined) checkNewPassword(body.password, policy, who, c.get("timing"));
  else temporaryPassword = generateTemporaryPassword(policy, who);
  const password = body.password ?? temporaryPassword!;
  const passwordHash = c.get("timing").kdf(() => hashPassword(password, kdfParams(c.env.KDF_PROFILE)));

  const stored = { ...user, passwordHash, mustChangePassword: temporaryPassword !== undefined };
  const actor = { actorId: auth.user.id, ip: c.get("ip"), now };
  const [, , , rows, methods] = await db.batch([...insertUsersStatements(db, [stored], actor), ...adminUserReads(db, user.id)]);
  const row = rows[0];
  if (!row) throw usernameTaken();
  return { user: toAdminUser(row, methods, policy, now), ...(temporaryPassword ? { temporaryPassword } : {}) };
}
