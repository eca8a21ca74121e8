import { sql } from "drizzle-orm";
import type { SessionResponse } from "../../../shared/api/sessions.js";
import { normaliseUsername } from "../../../shared/username.js";
import { auditInsert } from "../audit.js";
import { iso } from "../clock.js";
import type { Db, FlowContext } from "../context.js";
import { kdfParams, hashPassword, needsRehash, verifyNothing, verifyPassword } from "../crypto/password-hash.js";
import { rawStatement } from "../db/raw.js";
import { users } from "../db/schema.js";
import { directory } from "../directory/directory.js";
import { toMethod, toUser } from "../directory/views.js";
import { ApiError } from "../errors.js";
import { currentPolicyQuery, policyFromRow } from "../policy/store.js";
import { registrationStatus } from "../registration/status.js";
import { secretKey } from "../secrets.js";
import { newSession } from "../sessions/session-token.js";
import { assertNotLocked, clearLockout, lockoutOf, recordWrongPassword, wrongPasswordFingerprint } from "./sign-in-lockout.js";

export interface SignInInput extends Omit<FlowContext, "waitUntil"> {
  username: string;
  password: string;
}

const invalidCredentials = () =>
  new ApiError(401, "invalid_credentials", "The username or password is incorrect.");

/**
 * POST /v1/sessions. Two round trips whatever happens: one batch reads user, lockout, policy and
 * methods; one batch writes the outcome. An unknown user costs the same KDF run and the same writes
 * as a wrong password, and gets the same answer (spec §9, enumeration).
 */
export async function signIn(input: SignInInput): Promise<SessionResponse> {
  const { db, now, timing } = input;
  const username = normaliseUsername(input.username);
  const [userRows, lockRows, policyRows, methodRows] = await db.batch([
    directory.findByUsername(db, username),
    lockoutOf(db, username),
    currentPolicyQuery(db),
    directory.methodsOfUsername(db, username),
  ]);
  const policy = policyFromRow(policyRows[0]);
  assertNotLocked(lockRows[0], now);

  const params = kdfParams(input.env.KDF_PROFILE);
  const user = userRows[0];
  const canSignIn = !!user && !user.disabled && !!user.passwordHash;
  const ok = timing.kdf(() =>
    canSignIn ? verifyPassword(input.password, user.passwordHash!) : verifyNothing(input.password, params),
  );

  if (!ok) {
    const fingerprint = await wrongPasswordFingerprint(secretKey(input.env), username, input.password);
    await db.batch([
      recordWrongPassword(db, username, fingerprint, now, policy),
      auditInsert(db, { type: "session.failed", at: now, subjectId: user?.id ?? null, ip: input.ip, outcome: "failure", detail: { knownUser: !!user } }),
      lockAuditIfJustLocked(db, username, user?.id ?? null, input.ip, now),
    ]);
    throw invalidCredentials();
  }

  const session = await newSession(db, user!.id, now);
  const rehash = needsRehash(user!.passwordHash!, params) ? timing.kdf(() => hashPassword(input.password, params)) : null;
  const update = db
    .update(users)
    .set(rehash ? { lastSignInAt: now, passwordHash: rehash } : { lastSignInAt: now })
    .where(sql`${users.id} = ${user!.id}`);
  await db.batch([
    session.insert,
    update,
    clearLockout(db, username),
    auditInsert(db, { type: "session.created", at: now, actorId: user!.id, subjectId: user!.id, ip: input.ip, outcome: "success" }),
  ]);
  const methods = methodRows.map(toMethod);
  return {
    token: session.token,
    expiresAt: iso(session.expiresAt),
    user: toUser({ ...user!, lastSignInAt: now }),
    registration: registrationStatus(user!, methods, policy, now),
  };
}

/** Writes a `session.locked` row only when the statement before it in the batch has just locked the name. */
const lockAuditIfJustLocked = (db: Db, username: string, subjectId: string | null, ip: string | null, now: number) =>
  rawStatement(db, sql`insert into audit_events (at, type, actor_id, subject_id, ip, outcome, detail)
    select ${now}, 'session.locked', null, ${subjectId}, ${ip}, 'failure', json_object('username', username, 'lockedUntil', locked_until)
    from sign_in_lockouts where username = ${username} and locked_until > ${now} and failures = 0 and updated_at = ${now}`);
