import { sql } from "drizzle-orm";
import type { User } from "../../../shared/api/users.js";
import { DEFAULT_POLICY } from "../../../shared/policy/defaults.js";
import { isValidUsername, normaliseUsername, searchFold } from "../../../shared/username.js";
import { auditInsertIf } from "../audit.js";
import type { Db, FlowContext } from "../context.js";
import { isDevelopment } from "../context.js";
import { hashPassword, kdfParams } from "../crypto/password-hash.js";
import { constantTimeEqual } from "../crypto/constant-time.js";
import { newId } from "../crypto/random.js";
import { sha256Hex } from "../crypto/token-hash.js";
import { isUniqueViolation } from "../db/constraint.js";
import { rawStatement } from "../db/raw.js";
import { users } from "../db/schema.js";
import { toUser } from "../directory/views.js";
import { ApiError, invalidRequest, notFound, unauthorized } from "../errors.js";
import { checkNewPassword } from "../passwords/new-password.js";
import { currentPolicyQuery, insertPolicyVersion, policyFromRow } from "../policy/store.js";

export interface SetupInput extends Omit<FlowContext, "waitUntil"> {
  /** The worker's own origin: in development the first policy watches its demo sign-in page. */
  origin: string;
  body: { username: string; displayName: string; password: string };
}

const alreadySetUp = () => new ApiError(409, "already_set_up", "This organisation already has a global admin.");

/** Whether any account is a global admin: setup's gate, and one of the deployment checks. */
export const GLOBAL_ADMIN_EXISTS = sql`exists (select 1 from ${users}, json_each(${users.roles}) where json_each.value = 'global_admin')`;

/** GLOBAL_ADMIN_EXISTS as a one-row read (`exists`: 1 or 0). */
export const globalAdminExistsQuery = (db: Db) => db.select({ exists: sql<number>`${GLOBAL_ADMIN_EXISTS}` }).from(sql`(select 1)`);

/**
 * POST /v1/setup is there only while SETUP_TOKEN is configured (404 otherwise) and answers only its
 * holder (401). Checked before the body is validated: it needs no D1 read. The token is the operator's
 * choice, so any length; both sides are hashed first so the comparison is constant-time.
 */
export async function assertSetupToken(env: Env, bearer: string | null): Promise<void> {
  const expected = env.SETUP_TOKEN;
  if (!expected) throw notFound();
  const [given, wanted] = await Promise.all([sha256Hex(bearer ?? ""), sha256Hex(expected)]);
  if (!bearer || !constantTimeEqual(new TextEncoder().encode(given), new TextEncoder().encode(wanted))) {
    throw unauthorized();
  }
}

/** POST /v1/setup (token already checked): the first global admin, only while none exists. */
export async function setUp(input: SetupInput): Promise<User> {
  const { env, db, now } = input;

  const username = normaliseUsername(input.body.username);
  if (!isValidUsername(username)) throw invalidRequest([{ path: "username", message: "Not a valid username." }]);
  const [adminRows, policyRows] = await db.batch([
    globalAdminExistsQuery(db),
    currentPolicyQuery(db),
  ]);
  if (adminRows[0]?.exists) throw alreadySetUp();
  const policy = policyFromRow(policyRows[0]);
  checkNewPassword(input.body.password, policy, { username, displayName: input.body.displayName }, input.timing);

  const id = newId("usr");
  const hash = input.timing.kdf(() => hashPassword(input.body.password, kdfParams(env.KDF_PROFILE)));
  // Conditional insert: of two concurrent setups only one can create the first global admin.
  const insert = rawStatement(db, sql`insert into ${users} (id, username, display_name, display_name_folded, roles, groups, password_hash, password_history, password_changed_at, created_at)
    select ${id}, ${username}, ${input.body.displayName}, ${searchFold(input.body.displayName)}, '["global_admin"]', '[]', ${hash}, '[]', ${now}, ${now}
    where not ${GLOBAL_ADMIN_EXISTS}`);
  const statements = [
    insert,
    db.select().from(users).where(sql`${users.id} = ${id}`),
    auditInsertIf(
      db,
      { type: "setup.completed", at: now, actorId: id, subjectId: id, ip: input.ip, outcome: "success" },
      sql`exists (select 1 from ${users} where ${users.id} = ${id})`,
    ),
  ] as const;
  // Spec §4: signInPages defaults to the demo page in development (the demo seed does the same).
  const first = isDevelopment(env) ? { ...DEFAULT_POLICY, signInPages: [`${input.origin}/demo/*`] } : DEFAULT_POLICY;
  const policyInsert = policy.version === 0 ? [insertPolicyVersion(db, first, 1, now, id)] : [];
  let created;
  try {
    [, created] = await db.batch([...statements, ...policyInsert]);
  } catch (error) {
    if (!isUniqueViolation(error)) throw error;
    // A concurrent setup that won also wrote policy version 1, which this batch's own version 1 then
    // collides with: that is "already set up", not a taken username.
    const [again] = await globalAdminExistsQuery(db);
    throw again?.exists ? alreadySetUp() : new ApiError(409, "conflict", "That username is taken.");
  }
  const row = created?.[0];
  if (!row) throw alreadySetUp();
  return toUser(row, policy, now);
}
