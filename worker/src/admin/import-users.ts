import { sql } from "drizzle-orm";
import type { Context } from "hono";
import type { ImportResponse } from "../../../shared/api/admin.js";
import { createUserRequestSchema, MAX_IMPORT_ROWS_WITH_PASSWORD as MAX_ROWS_WITH_PASSWORD } from "../../../shared/api/admin.js";
import { normaliseUsername } from "../../../shared/username.js";
import type { AppEnv } from "../context.js";
import { hashPassword, kdfParams } from "../crypto/password-hash.js";
import { rawStatement } from "../db/raw.js";
import { auditEvents, users } from "../db/schema.js";
import { ApiError } from "../errors.js";
import { checkNewPassword } from "../passwords/new-password.js";
import { currentPolicyQuery, policyFromRow } from "../policy/store.js";
import { authenticate } from "../sessions/authenticate.js";
import { issuesToDetails } from "../validate.js";
import { usernameTaken } from "./create-user.js";
import type { NewUser, StoredUser } from "./new-users.js";
import { existingIds, insertUsersStatements, prepareNewUser } from "./new-users.js";

type RowError = ImportResponse["errors"][number];

const tooManyPasswords = () =>
  new ApiError(400, "invalid_request", `Only ${MAX_ROWS_WITH_PASSWORD} rows per import may carry a password: import this row again in another request, or leave its password out.`);

const rowError = (index: number, e: ApiError): RowError => ({
  index,
  error: { code: e.code, message: e.message, ...(e.details ? { details: e.details as Record<string, unknown>[] } : {}) },
});

const usernameOf = (row: unknown): string | null =>
  row && typeof row === "object" && typeof (row as { username?: unknown }).username === "string"
    ? normaliseUsername((row as { username: string }).username)
    : null;

/**
 * POST /v1/admin/users/import (global admins). Each row is checked on its own and a failed row is
 * reported as `{index, error}` and creates nothing; the good rows are created together. Usernames
 * repeated within the file are errors on every occurrence (which one was meant is not guessed).
 * Rows without a password get none (the response has nowhere to return a generated one): the user
 * sets one through self-service reset with the email/phone given here, or an admin sets a temporary
 * one. Each given password costs one KDF run, the dominant cost of an import (docs/api.md, "Import").
 */
export async function importUsers(c: Context<AppEnv>, rows: unknown[]): Promise<ImportResponse> {
  const db = c.get("db");
  const now = c.get("now");
  const names = rows.map(usernameOf);
  const { auth, results } = await authenticate(c, { roles: ["global_admin"] }, () => [
    currentPolicyQuery(db),
    rawStatement(db, sql`select ${users.username} as username from ${users} where ${users.username} in (select value from json_each(${JSON.stringify(names.filter(Boolean))}))`),
  ]);
  const policy = policyFromRow(results[0][0]);
  const taken = new Set((results[1] as { results: { username: string }[] }).results.map((r) => r.username));
  const seen = new Map<string, number>();
  for (const name of names) if (name) seen.set(name, (seen.get(name) ?? 0) + 1);

  const errors: RowError[] = [];
  let hashed = 0;
  const good: { index: number; user: NewUser; password: string | undefined }[] = [];
  rows.forEach((raw, index) => {
    const parsed = createUserRequestSchema.safeParse(raw);
    if (!parsed.success) {
      errors.push(rowError(index, new ApiError(400, "invalid_request", "The row is not valid.", issuesToDetails(parsed.error.issues, raw))));
      return;
    }
    try {
      const user = prepareNewUser(parsed.data, policy.methods.smsCountries);
      if ((seen.get(user.username) ?? 0) > 1) throw new ApiError(409, "conflict", "This username appears more than once in the file.");
      if (taken.has(user.username)) throw usernameTaken();
      const { password } = parsed.data;
      if (password !== undefined) {
        checkNewPassword(password, policy, user, c.get("timing"));
        // Each password is one Argon2id run (~230 ms): more would pass the Worker's 30 s CPU limit mid-import.
        if (hashed === MAX_ROWS_WITH_PASSWORD) throw tooManyPasswords();
        hashed++;
      }
      good.push({ index, user, password });
    } catch (error) {
      if (!(error instanceof ApiError)) throw error;
      errors.push(rowError(index, error));
    }
  });

  const params = kdfParams(c.env.KDF_PROFILE);
  const stored: StoredUser[] = good.map(({ user, password }) => ({
    ...user,
    passwordHash: password === undefined ? null : c.get("timing").kdf(() => hashPassword(password, params)),
    mustChangePassword: false,
  }));
  const ids = stored.map((u) => u.id);
  const actor = { actorId: auth.user.id, ip: c.get("ip"), now };
  const createdCount = sql`(select count(*) from ${users} where ${users.id} in (select value from json_each(${JSON.stringify(ids)})))`;
  const [, , , , created] = await db.batch([
    ...insertUsersStatements(db, stored, actor),
    rawStatement(db, sql`insert into ${auditEvents} (at, type, actor_id, subject_id, ip, outcome, detail)
      select ${now}, 'admin.users_imported', ${actor.actorId}, null, ${actor.ip}, 'success',
        json_object('rows', ${rows.length}, 'created', ${createdCount}, 'failed', ${rows.length} - ${createdCount})`),
    existingIds(db, ids),
  ]);
  const createdIds = new Set((created as unknown as { results: { id: string }[] }).results.map((r) => r.id));
  // A username created by someone else between the read and the write: that row failed, nothing else did.
  for (const { index, user } of good) if (!createdIds.has(user.id)) errors.push(rowError(index, usernameTaken()));
  errors.sort((a, b) => a.index - b.index);
  return { created: createdIds.size, errors };
}
