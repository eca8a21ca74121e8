import { AUTHENTICATOR_HINT } from "../../../shared/api/resets.js";
import { rememberLocale } from "../i18n/user-locale.js";
import type { AddMethodRequest } from "../../../shared/api/me.js";
import type { Method } from "../../../shared/api/users.js";
import type { Policy } from "../../../shared/policy/schema.js";
import { and, eq, not, sql } from "drizzle-orm";
import { auditInsertIf } from "../audit.js";
import { codeStored } from "../challenges/codes.js";
import { planCodeSend } from "../challenges/send-code.js";
import type { Db, FlowContext } from "../context.js";
import { newId } from "../crypto/random.js";
import { changes, runBatch } from "../db/batch.js";
import { rawStatement } from "../db/raw.js";
import { recoveryMethods } from "../db/schema.js";
import { sendLater } from "../delivery/deliver.js";
import type { MethodRow, UserRow } from "../directory/views.js";
import { toMethod } from "../directory/views.js";
import { ApiError, invalidRequest } from "../errors.js";
import { emailHint, phoneHint } from "../methods/hints.js";
import { smsCountryAllowed, smsCountryRefused, toE164Mobile } from "../methods/phone.js";
import { STRATEGIES } from "../methods/strategy.js";
import { newTotpSecret, otpauthUri, sealTotpSecret, totpSecretText } from "../methods/totp.js";
import { secretKey } from "../secrets.js";
import { methodRulesFor } from "./status.js";

export interface AddMethod {
  ctx: FlowContext;
  user: UserRow;
  methods: MethodRow[];
  policy: Policy;
  body: AddMethodRequest;
}

const alreadyRegistered = (type: MethodRow["type"]) =>
  type === "sms" ? new ApiError(409, "conflict", "This phone number is already registered.") : new ApiError(409, "conflict", "This email address is already registered.");

const tooMany = (max: number) => new ApiError(409, "conflict", `You already have ${max} recovery methods of this kind. Remove one first.`);

/** Where codes go and what the user sees, by type; rejects targets already registered. */
function target(body: AddMethodRequest, methods: MethodRow[], smsCountries: readonly string[]): { target: string | null; hint: string; label: string | null } {
  if (body.type === "email") {
    const email = body.email.trim();
    if (methods.some((m) => m.type === "email" && m.target?.toLowerCase() === email.toLowerCase())) throw alreadyRegistered("email");
    return { target: email, hint: emailHint(email), label: null };
  }
  if (body.type === "sms") {
    const phone = toE164Mobile(body.phone);
    if (!phone) throw invalidRequest([{ path: "phone", message: "Enter a mobile number in international format, e.g. +44 7911 123456." }]);
    if (!smsCountryAllowed(phone, smsCountries)) throw smsCountryRefused(smsCountries, "phone");
    if (methods.some((m) => m.type === "sms" && m.target === phone)) throw alreadyRegistered("sms");
    return { target: phone, hint: phoneHint(phone), label: null };
  }
  return { target: null, hint: body.label ?? AUTHENTICATOR_HINT, label: body.label ?? null };
}

/**
 * The method's row, written only while the user has fewer than `max` methods of its type and none of
 * them with the same destination. addMethod checked both on the methods its route read, but a request
 * racing this one may have added one since: the same checks in the INSERT hold under concurrency.
 */
function insertIfRoom(db: Db, row: MethodRow, max: number) {
  const sameType = sql`${recoveryMethods.userId} = ${row.userId} and ${recoveryMethods.type} = ${row.type}`;
  return rawStatement(
    db,
    sql`insert into ${recoveryMethods} (id, user_id, type, status, target, hint, label, secret, origin, last_used_step, created_at, verified_at)
      select ${row.id}, ${row.userId}, ${row.type}, ${row.status}, ${row.target}, ${row.hint}, ${row.label}, ${row.secret}, ${row.origin}, null, ${row.createdAt}, null
      where (select count(*) from ${recoveryMethods} where ${sameType}) < ${max}
        and not exists (select 1 from ${recoveryMethods} where ${sameType} and lower(${recoveryMethods.target}) = lower(${row.target}))`,
  );
}

/** True once this batch's insertIfRoom has written the row: what the statements after it depend on. */
const methodInserted = (id: string) => sql`exists (select 1 from ${recoveryMethods} where ${recoveryMethods.id} = ${id})`;

/**
 * The answer to an add that insertIfRoom refused, from a read at the end of the same batch: a concurrent
 * add took the type's last place, or the same destination.
 */
function lostRace(db: Db, row: MethodRow) {
  return {
    read: db
      .select({ count: sql<number>`count(*)` })
      .from(recoveryMethods)
      .where(and(eq(recoveryMethods.userId, row.userId), eq(recoveryMethods.type, row.type))),
    answer: (result: unknown, max: number) =>
      (result as { count: number }[])[0]!.count >= max ? tooMany(max) : alreadyRegistered(row.type),
  };
}

/** POST /v1/me/methods: a pending method; email and SMS get a code, TOTP gets its secret. */
export async function addMethod(a: AddMethod): Promise<{ method: Method; secret?: string; otpauthUri?: string }> {
  const { ctx, user, policy, body } = a;
  if (!methodRulesFor(user, policy).available.includes(body.type)) {
    throw new ApiError(422, "method_not_allowed_by_policy", "Your organisation does not allow this kind of recovery method for your account.");
  }
  const strategy = STRATEGIES[body.type];
  if (a.methods.filter((m) => m.type === body.type).length >= strategy.maxPerUser) throw tooMany(strategy.maxPerUser);
  const t = target(body, a.methods, policy.methods.smsCountries);
  const serverKey = secretKey(ctx.env);
  const row: MethodRow = {
    id: newId("mth"),
    userId: user.id,
    type: body.type,
    status: "pending",
    target: t.target,
    hint: t.hint,
    label: t.label,
    secret: null,
    origin: "user",
    lastUsedStep: null,
    questionDraw: null,
    createdAt: ctx.now,
    verifiedAt: null,
  };
  const auditEntry = { type: "method.added", at: ctx.now, actorId: user.id, subjectId: user.id, ip: ctx.ip, outcome: "success", detail: { methodId: row.id, methodType: row.type } } as const;
  const inserted = methodInserted(row.id);
  const race = lostRace(ctx.db, row);

  if (strategy.kind === "totp") {
    const key = newTotpSecret();
    row.secret = await sealTotpSecret(serverKey, row.id, key);
    const results = await runBatch(ctx.db, [
      insertIfRoom(ctx.db, row, strategy.maxPerUser),
      auditInsertIf(ctx.db, auditEntry, inserted),
      ...rememberLocale(ctx.db, user.id, ctx.locale ?? null),
      race.read,
    ]);
    if (changes(results[0]) === 0) throw race.answer(results.at(-1), strategy.maxPerUser);
    return { method: toMethod(row), secret: totpSecretText(key), otpauthUri: otpauthUri(policy.orgName, user.username, key) };
  }

  const send = await planCodeSend({
    env: ctx.env,
    db: ctx.db,
    now: ctx.now,
    secret: serverKey,
    method: row,
    userId: user.id,
    flow: "registration",
    purpose: "registration",
    orgName: policy.orgName,
    locale: user.locale ?? ctx.locale ?? policy.defaultLocale,
    smsCountries: policy.methods.smsCountries,
    ttlMinutes: policy.challenges.codeTtlMinutes,
    existing: undefined,
    counters: [],
    onlyIf: inserted,
  });
  // Over a send limit no code is stored; the method is then removed in the same batch, so the user is
  // not left with a method that never got a code.
  const results = await runBatch(ctx.db, [
    insertIfRoom(ctx.db, row, strategy.maxPerUser),
    ...send.statements,
    auditInsertIf(ctx.db, auditEntry, codeStored(send.codeId)),
    ctx.db.delete(recoveryMethods).where(and(eq(recoveryMethods.id, row.id), not(codeStored(send.codeId)))),
    ...rememberLocale(ctx.db, user.id, ctx.locale ?? null),
    race.read,
    send.countersAfter,
  ]);
  if (changes(results[0]) === 0) throw race.answer(results.at(-2), strategy.maxPerUser);
  if (changes(results[1]) === 0) throw send.refusal(results.at(-1));
  sendLater({ ...ctx, userId: user.id }, [send.message], { methodId: row.id });
  return { method: toMethod(row) };
}
