import { type SQL, sql } from "drizzle-orm";
import type { SessionResponse } from "../../../shared/api/sessions.js";
import { normaliseUsername } from "../../../shared/username.js";
import { auditInsert, auditInsertIf } from "../audit.js";
import { iso } from "../clock.js";
import type { FlowContext } from "../context.js";
import { kdfParams, hashPassword, needsRehash, verifyNothing, verifyPassword } from "../crypto/password-hash.js";
import { changes as rowsChanged } from "../db/batch.js";
import { users } from "../db/schema.js";
import { directory } from "../directory/directory.js";
import type { UserRow } from "../directory/views.js";
import { toMethod, toUser } from "../directory/views.js";
import { ApiError, directoryUnavailable, rateLimited } from "../errors.js";
import { clientKey } from "../limits/client-key.js";
import type { Limit } from "../limits/counters.js";
import { countNow, giveBackCounter, incrementCounter, retryAfterCounted } from "../limits/counters.js";
import { currentPolicyQuery, policyFromRow } from "../policy/store.js";
import { registrationStatus } from "../registration/status.js";
import { secretKey } from "../secrets.js";
import { isExpired } from "../passwords/expiry.js";
import { newSession } from "../sessions/session-token.js";
import { admitAttempt, afterRightPassword, afterWrongPassword, countAttempt, wouldBeChecked, wrongPasswordFingerprint } from "./sign-in-lockout.js";

export interface SignInInput extends Omit<FlowContext, "waitUntil"> {
  username: string;
  password: string;
}

export const invalidCredentials = () =>
  new ApiError(401, "invalid_credentials", "The username or password is incorrect.");

/**
 * Password spraying (a few guesses at each of many usernames, never meeting one name's lockout): at
 * most 100 failed sign-ins per client (limits/client-key.ts) in 10 minutes. Only checked passwords
 * count and a right one is given back, so an office behind one NAT address spends it only on typos;
 * a sprayer gets 600 guesses an hour per address or IPv6 /64, spread over all names.
 */
const clientLimit = (ip: string | null): Limit => ({ key: `sign-in:client:${clientKey(ip)}`, max: 100, windowMs: 600_000 });

/**
 * POST /v1/sessions. Two round trips whatever happens: one batch reads user, policy and methods and
 * counts the attempt (for the client, then for the name's smart lockout, both before the password is
 * checked: see sign-in-lockout.ts); one batch writes the outcome. A locked name or a client over its
 * limit gets 429 after the first. An unknown user is counted, costs the same KDF run and the same
 * writes as a wrong password, and gets the same answer (spec §9, enumeration). A directory user's
 * password is checked by the agent's bind in between, so guessing is stopped here before it reaches
 * the directory's own lockout (directory.md); a connected agent whose directory cannot answer (503)
 * costs no allowance. With no agent connected at all, every failed sign-in is answered and counted alike
 * (see the end).
 */
export async function signIn(input: SignInInput): Promise<SessionResponse> {
  const { db, now, timing } = input;
  const username = normaliseUsername(input.username);
  // Computable before any read, so step 1 can tell a repeat of a recent wrong password.
  const fingerprint = await wrongPasswordFingerprint(secretKey(input.env), username, input.password);
  const limit = clientLimit(input.ip);
  // The client's count goes up only for an attempt whose password the lockout will let be checked, and
  // the name's count only while the client is within its limit (or the name is locked, which changes
  // nothing and gets the lock's answer): a refused spray costs no name its allowance. One transaction,
  // so of a burst from one client exactly `max` go on.
  const checked = wouldBeChecked(username, now);
  const [userRows, policyRows, methodRows, clientRows, , counted, agentRows] = await db.batch([
    directory.findByUsername(db, username),
    currentPolicyQuery(db),
    directory.methodsOfUsername(db, username),
    incrementCounter(db, limit, now, checked),
    ...countAttempt(db, { username }, fingerprint, now, input.ip, sql`(not ${checked} or ${countNow(limit.key, now)} <= ${limit.max})`),
    directory.usesAgents(db),
  ]);
  const wait = retryAfterCounted(clientRows, [limit], now);
  if (wait !== null) throw rateLimited(wait, "Too many failed sign-ins from your network. Try again later.");
  const attempt = admitAttempt(counted, fingerprint, now);
  if (!attempt) throw new Error("sign-in: the lockout row was not written");
  const policy = policyFromRow(policyRows[0]);

  const params = kdfParams(input.env.KDF_PROFILE);
  const user = userRows[0];
  const wrong = async (detail: Record<string, unknown>, answer = invalidCredentials()) => {
    await db.batch([
      ...afterWrongPassword(db, attempt, fingerprint, now, input.ip),
      auditInsert(db, { type: "session.failed", at: now, subjectId: user?.id ?? null, ip: input.ip, outcome: "failure", detail: { knownUser: !!user, ...detail } }),
    ]);
    return answer;
  };
  /**
   * `changes`: what else the right password settles (a native rehash, a directory's must-change). The
   * session is made only if the account is still as it was read: a password set (by an admin, a reset,
   * a change or the directory; each moves `password_changed_at`) or a disable that landed while this
   * one was checked revoked every session, and must not be outlived by one proved with the old password.
   * A concurrent sign-in's rehash moves only the hash, and does not count.
   */
  const signedIn = async (signedInUser: UserRow, changes: { passwordHash?: SQL; mustChangePassword?: boolean }) => {
    // An expired password still proves who this is: the session may only replace it (authenticate.ts).
    const expired = isExpired(directory.passwordExpiresAt(signedInUser, policy), now);
    const asRead = sql`exists (select 1 from ${users} where ${users.id} = ${signedInUser.id} and ${users.disabled} = 0 and ${users.passwordChangedAt} is ${user!.passwordChangedAt})`;
    const session = await newSession(db, signedInUser.id, now, asRead);
    const update = db
      .update(users)
      .set({ lastSignInAt: now, ...changes })
      .where(sql`${users.id} = ${signedInUser.id} and ${session.inserted}`);
    const [inserted] = await db.batch([
      session.insert,
      update,
      // Refused, the attempt stays counted: the password it proved is no longer the account's.
      ...afterRightPassword(db, attempt, now, "clear", session.inserted),
      ...clientRows.map((row) => giveBackCounter(db, row, session.inserted)),
      auditInsertIf(db, { type: "session.created", at: now, actorId: signedInUser.id, subjectId: signedInUser.id, ip: input.ip, outcome: "success", ...(expired ? { detail: { passwordExpired: true } } : {}) }, session.inserted),
      auditInsertIf(db, { type: "session.failed", at: now, subjectId: signedInUser.id, ip: input.ip, outcome: "failure", detail: { knownUser: true, changedMeanwhile: true } }, sql`not ${session.inserted}`),
    ]);
    if (rowsChanged(inserted) === 0) throw invalidCredentials();
    return {
      token: session.token,
      expiresAt: iso(session.expiresAt),
      user: toUser(signedInUser, policy, now),
      registration: registrationStatus(signedInUser, methodRows.map(toMethod), policy, now),
    };
  };

  const unavailable = async () => {
    // Not the user's guess: the attempt is taken back out of the counts, as a right password's is.
    await db.batch([...afterRightPassword(db, attempt, now, "give-back"), ...clientRows.map((row) => giveBackCounter(db, row))]);
    return directoryUnavailable();
  };

  // No agent connected while the organisation has enrolled one: directory passwords cannot be checked.
  // Asked only once a sign-in has failed, so a successful one costs no extra call to the hub.
  let outage: Promise<boolean> | undefined;
  const agentsDown = () => (outage ??= agentRows.length > 0 ? directory.agentReachable(input.env).then((up) => !up) : Promise.resolve(false));
  // With no agent enrolled (the last one deleted), a directory user's name gets what an unknown one
  // does below: answering "directory unavailable" only for them would list them.
  if (user && !user.disabled && directory.isExternal(user) && agentRows.length > 0) {
    const answer = await directory.bind(input.env, user, input.password);
    if (answer.kind === "wrong") {
      // The KDF run every other failed sign-in makes, so the work done does not tell the names apart.
      timing.kdf(() => verifyNothing(input.password, params));
      throw await wrong({ directory: true });
    }
    // A connected agent whose directory did not answer: not the user's guess. With no agent at all,
    // the outage answer below, after the same KDF run as every other failed sign-in.
    if (answer.kind === "unavailable" && !(await agentsDown())) throw await unavailable();
    // The directory's answer stands: it asks for a new password (expired, reset flag) or it does not.
    if (answer.kind === "right") return signedIn({ ...user, mustChangePassword: answer.mustChange }, { mustChangePassword: answer.mustChange });
  }

  // A directory user (here only when no agent could check it) is, like an unknown name, the same KDF run on nothing.
  const canSignIn = !!user && !user.disabled && !directory.isExternal(user) && !!user.passwordHash;
  const ok = timing.kdf(() =>
    canSignIn ? verifyPassword(input.password, user.passwordHash!) : verifyNothing(input.password, params),
  );
  // During an outage a directory user gets 503, and so does every other sign-in that fails: a native
  // account's wrong password and an unknown or disabled name alike, each counted as a wrong password.
  // Otherwise the answer (401 or 503) or the lockout would tell native accounts, directory accounts and
  // unknown names apart (spec §9). A native account's right password still signs in: the break-glass
  // admin works whatever the agent does.
  if (!ok) {
    // A directory user's wrong password took the directory's round trips: so does this failure, the
    // decoy run alongside the question whether any agent is connected.
    const [down] = await Promise.all([agentsDown(), agentRows.length > 0 ? directory.decoyBind(input.env, [...input.password].length) : undefined]);
    throw down ? await wrong({ directoryUnavailable: true }, directoryUnavailable()) : await wrong({});
  }
  const rehash = needsRehash(user!.passwordHash!, params) ? timing.kdf(() => hashPassword(input.password, params)) : null;
  // Only over the hash this sign-in checked: a set that landed meanwhile refuses the session anyway, and a
  // concurrent sign-in's own rehash stands.
  return signedIn(user!, rehash ? { passwordHash: sql`case when ${users.passwordHash} = ${user!.passwordHash} then ${rehash} else ${users.passwordHash} end` } : {});
}
