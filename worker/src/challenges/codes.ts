import { and, eq, sql } from "drizzle-orm";
import type { SQL } from "drizzle-orm";
import type { Db } from "../context.js";
import { constantTimeEqual } from "../crypto/constant-time.js";
import { newId, randomInt } from "../crypto/random.js";
import { hmacHex } from "../crypto/token-hash.js";
import { rawStatement } from "../db/raw.js";
import { verificationCodes } from "../db/schema.js";
import { ApiError } from "../errors.js";

export const CODE_DIGITS = 8;
export const CODE_ATTEMPTS = 5;
export const RESEND_COOLDOWN_MS = 60_000;

export type CodeRow = typeof verificationCodes.$inferSelect;

/** 8 digits from the CSPRNG (spec §3). */
export function newCode(): string {
  return String(randomInt(10 ** CODE_DIGITS)).padStart(CODE_DIGITS, "0");
}

/**
 * HMAC under the server key, bound to the code's method and flow (the row's unique slot): a dumped table
 * yields no code, and no code fits another method or flow. Not bound to the row's id, so a request can
 * compute it before the one batch that reads and checks the row (issue 13).
 */
export const codeHash = (secret: string, methodId: string, flow: string, code: string) => hmacHex(secret, `code\0${methodId}\0${flow}\0${code}`);

export const codeOf = (db: Db, methodId: string, flow: string) =>
  db.select().from(verificationCodes).where(and(eq(verificationCodes.methodId, methodId), eq(verificationCodes.flow, flow))).limit(1);

export const codeExpired = () => new ApiError(400, "code_expired", "This code has expired or was already used. Ask for a new one.");

export const invalidCode = (attemptsLeft: number) =>
  new ApiError(400, "invalid_code", attemptsLeft > 0 ? "That code is not right. Check it and try again." : "That code is not right, and no tries are left. Ask for a new one.", [{ attemptsLeft }]);

export interface NewCodeRow {
  id: string;
  methodId: string;
  flow: string;
  hash: string;
  now: number;
  /** SQL when the TTL is the stored policy's, read in the same batch. */
  expiresAt: number | SQL;
}

/**
 * Stores a new code, replacing (and so invalidating) the previous one for this method and flow, but only
 * if the previous one is at least 60 s old and `limitsOk` holds — checked inside the statement, so two
 * concurrent sends cannot both pass. Returns the new id when it was stored.
 */
export function storeCode(db: Db, row: NewCodeRow, limitsOk: SQL) {
  return rawStatement(
    db,
    sql`insert into ${verificationCodes} (id, method_id, flow, code_hash, attempts_left, created_at, expires_at, used_at)
      select ${row.id}, ${row.methodId}, ${row.flow}, ${row.hash}, ${CODE_ATTEMPTS}, ${row.now}, ${row.expiresAt}, null where ${limitsOk}
      on conflict (method_id, flow) do update set id = excluded.id, code_hash = excluded.code_hash, attempts_left = excluded.attempts_left,
        created_at = excluded.created_at, expires_at = excluded.expires_at, used_at = null
      where verification_codes.created_at <= ${row.now} - ${RESEND_COOLDOWN_MS}`,
  );
}

/** True once `storeCode` of this batch has stored `codeId`: for the statements that must follow it. */
export const codeStored = (codeId: string): SQL => sql`exists (select 1 from ${verificationCodes} where ${verificationCodes.id} = ${codeId})`;

export async function prepareCode(secret: string, methodId: string, flow: string, now: number, ttlMs: number) {
  const code = newCode();
  const id = newId("code");
  return { code, row: { id, methodId, flow, hash: await codeHash(secret, methodId, flow, code), now, expiresAt: now + ttlMs } };
}

export type CodeCheck = { ok: true; row: CodeRow } | { ok: false; row: CodeRow };

/** Checks a typed code against the loaded row; throws code_expired when the row cannot accept any code. */
export async function checkCode(secret: string, row: CodeRow | undefined, code: string, now: number): Promise<CodeCheck> {
  if (!row || row.usedAt !== null || row.expiresAt <= now || row.attemptsLeft <= 0) throw codeExpired();
  const expected = new TextEncoder().encode(row.codeHash);
  const given = new TextEncoder().encode(await codeHash(secret, row.methodId, row.flow, code));
  return { ok: constantTimeEqual(expected, given), row };
}

/** Consumes the code if it is still live: single use even when two right answers race. */
export const consumeCode = (db: Db, codeId: string, now: number) =>
  db
    .update(verificationCodes)
    .set({ usedAt: now })
    .where(sql`${verificationCodes.id} = ${codeId} and ${verificationCodes.usedAt} is null and ${verificationCodes.attemptsLeft} > 0 and ${verificationCodes.expiresAt} > ${now}`)
    .returning({ id: verificationCodes.id });

/** True once `consumeCode` of this batch has consumed `codeId`. */
export const codeConsumed = (codeId: string, now: number): SQL =>
  sql`exists (select 1 from ${verificationCodes} where ${verificationCodes.id} = ${codeId} and ${verificationCodes.usedAt} = ${now})`;

/** One wrong entry, counted atomically; the fifth kills the code. */
export const spendAttempt = (db: Db, codeId: string) =>
  db
    .update(verificationCodes)
    .set({ attemptsLeft: sql`${verificationCodes.attemptsLeft} - 1` })
    .where(sql`${verificationCodes.id} = ${codeId} and ${verificationCodes.usedAt} is null and ${verificationCodes.attemptsLeft} > 0`)
    .returning({ attemptsLeft: verificationCodes.attemptsLeft });

/**
 * A typed code checked in SQL against the live code of its method and flow, so the check and its effect
 * are one statement each, in the caller's one batch: `claim` marks the live code with this request's
 * `attempt` nonce while `onlyIf` holds, then a wrong code spends an attempt of the marked row and the
 * right one consumes it (single use, and exact attempt counts however many guesses race: the batch is
 * one transaction, so nothing changes the row between the mark and the spend). The batch's later
 * statements test the mark. `onlyIf` (the reset's large mayProve) is in the claim alone: D1 prepares
 * every statement per request, and compiling it in both the spend and the consume cost about as much
 * as the rest of the batch's writes (issue 13). Comparing HMACs in SQL leaks nothing of the code:
 * without the key no guess can be steered toward the stored HMAC.
 */
export function attemptCode(db: Db, a: { methodId: string; flow: string; hash: string; attempt: string; now: number; onlyIf: SQL }) {
  const slot = sql`${verificationCodes.methodId} = ${a.methodId} and ${verificationCodes.flow} = ${a.flow}`;
  const live = sql`${slot} and ${verificationCodes.usedAt} is null and ${verificationCodes.attemptsLeft} > 0 and ${verificationCodes.expiresAt} > ${a.now}`;
  const claimed = sql`${slot} and ${verificationCodes.lastAttempt} = ${a.attempt} and ${verificationCodes.usedAt} is null`;
  const marked = sql`exists (select 1 from ${verificationCodes} where ${slot} and ${verificationCodes.lastAttempt} = ${a.attempt}`;
  return {
    claim: db
      .update(verificationCodes)
      .set({ lastAttempt: a.attempt })
      .where(sql`${live} and ${a.onlyIf}`),
    spend: db
      .update(verificationCodes)
      .set({ attemptsLeft: sql`${verificationCodes.attemptsLeft} - 1` })
      .where(sql`${claimed} and ${verificationCodes.codeHash} <> ${a.hash}`)
      .returning({ attemptsLeft: verificationCodes.attemptsLeft }),
    consume: db
      .update(verificationCodes)
      .set({ usedAt: a.now })
      .where(sql`${claimed} and ${verificationCodes.codeHash} = ${a.hash}`)
      .returning({ id: verificationCodes.id }),
    /** True once `spend` of this batch spent an attempt. */
    spent: sql`${marked} and ${verificationCodes.usedAt} is null)`,
    /** True once `consume` of this batch consumed the code. */
    consumed: sql`${marked} and ${verificationCodes.usedAt} is not null)`,
  };
}
