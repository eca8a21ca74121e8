import type { SQL } from "drizzle-orm";
import { sql } from "drizzle-orm";
import { DEFAULT_POLICY } from "../../../shared/policy/defaults.js";
import { codeHash, codeStored, newCode, storeCode } from "../challenges/codes.js";
import { sendCodeReads } from "../challenges/send-code.js";
import type { Db } from "../context.js";
import { isDevelopment } from "../context.js";
import { newId } from "../crypto/random.js";
import { rawStatement } from "../db/raw.js";
import { auditEvents, rateCounters, recoveryMethods, resets, users } from "../db/schema.js";
import { statementTemplate } from "../db/templates.js";
import { RENDER_ON_READ } from "../delivery/deferred-code.js";
import { outboxInsert } from "../delivery/deliver.js";
import { incrementCounters } from "../limits/counters.js";
import { STRATEGIES } from "../methods/strategy.js";
import { mayProve, policySetting } from "./rules-sql.js";

const CODE_TYPES = ["email", "sms"] as const;
// Stand-ins in the send limits' keys for what only the batch knows (the user, the destination) or what
// the template binds per request (the method, the client).
const USER = "\u0000user";
const TARGET = "\u0000target";
const METHOD = "\u0000method";
const CLIENT = "\u0000client";

/** A code type's send limits (strategy.ts, the one definition), each key as SQL: its prefix, then the value it ends with. */
function sendLimitsSql(type: (typeof CODE_TYPES)[number], values: Record<string, SQL>) {
  return STRATEGIES[type].sendLimits!({ id: METHOD, target: TARGET }, USER, { purpose: "reset", client: CLIENT }).map((l) => {
    const stand = Object.keys(values).find((s) => l.key.endsWith(s));
    if (!stand) throw new Error(`send limit key ${JSON.stringify(l.key)} ends with no known value`);
    return { ...l, key: sql`${l.key.slice(0, -stand.length)} || ${values[stand]!}` };
  });
}

const VALUES = ["tokenHash", "resetId", "methodId", "client", "now", "ip", "codeId", "hash", "code"] as const;

/**
 * The challenge's statements after authenticateReset's reads, in its one batch: the live code and the
 * counters (for the refusal's answer), then the code stored only while `mayProve` holds, the number is
 * in the policy's smsCountries, the per-method, per-user, per-destination and per-client send limits of
 * the method's type are not reached and the last code is at least 60 s old — all inside the one INSERT,
 * so concurrent sends cannot slip past a limit — and the counts, the audit row and (in development) the
 * outbox row of a code it stored. One template per environment: production has no outbox.
 */
const challengeTemplate = (development: boolean) =>
  statementTemplate(VALUES, (db, p) => {
    const userId = sql`(select ${resets.userId} from ${resets} where ${resets.tokenHash} = ${p.tokenHash})`;
    const column = (name: "type" | "target") => sql`(select ${recoveryMethods[name]} from ${recoveryMethods} where ${recoveryMethods.id} = ${p.methodId})`;
    const [type, target] = [column("type"), column("target")];
    const may = mayProve({ tokenHash: p.tokenHash, resetId: p.resetId, methodId: p.methodId, now: p.now });
    const keyValues = { [USER]: userId, [TARGET]: sql`lower(${target})`, [METHOD]: sql`${p.methodId}`, [CLIENT]: sql`${p.client}` };
    const byType = CODE_TYPES.map((t) => ({ type: t, limits: sendLimitsSql(t, keyValues) }));
    // No counter of the method type's limits at its max in a live window: each limit's countNow < max
    // (max ≥ 1), as one subquery over the list of limits rather than one per limit (issue 13: D1
    // prepares each statement per request, and the per-limit form compiled 7 subqueries here).
    const limitRows = byType.flatMap((b) =>
      b.limits.map((l) => {
        if (l.max < 1) throw new Error(`send limit ${JSON.stringify(l.key)}: max must be at least 1`);
        return sql`(${l.key}, ${l.max}, ${b.type})`;
      }),
    );
    const withinLimits = sql`(${type} in (${sql.join(
      CODE_TYPES.map((t) => sql`${t}`),
      sql`, `,
    )}) and not exists (select 1 from (values ${sql.join(limitRows, sql`, `)}) l join ${rateCounters} c on c.key = l.column1
      where l.column3 = ${type} and c.window_end > ${p.now} and c.count >= l.column2))`;
    const countries = policySetting("$.methods.smsCountries", DEFAULT_POLICY.methods.smsCountries);
    // Calling codes are prefix-free, so a prefix match is smsCountryAllowed's calling-code match.
    const countryAllowed = sql`(${type} <> 'sms' or json_array_length(${countries}) = 0
      or exists (select 1 from json_each(${countries}) c where substr(${target}, 1, length(c.value)) = c.value))`;
    const ttl = policySetting("$.challenges.codeTtlMinutes", DEFAULT_POLICY.challenges.codeTtlMinutes);
    const stored = codeStored(p.codeId);
    const locale = sql`coalesce((select ${users.locale} from ${users} where ${users.id} = ${userId}), ${policySetting("$.defaultLocale", DEFAULT_POLICY.defaultLocale)})`;
    // The message's inputs; GET /v1/dev/outbox renders it (delivery/deferred-code.ts).
    const messageInputs = sql`json_object('locale', ${locale}, 'orgName', ${policySetting("$.orgName", DEFAULT_POLICY.orgName)}, 'minutes', ${ttl}, 'purpose', 'reset')`;
    const audit = (condition: SQL) =>
      rawStatement(
        db,
        sql`insert into ${auditEvents} (at, type, actor_id, subject_id, ip, outcome, detail)
          select ${p.now}, 'reset.challenge_sent', null, ${userId}, ${p.ip}, 'success', json_object('resetId', ${p.resetId}, 'methodType', ${type}) where ${condition}`,
      );
    const outbox = { channel: type, to: sql`lower(${target})`, subject: RENDER_ON_READ, text: messageInputs, code: p.code };
    return [
      ...sendCodeReads(db, p.methodId, userId, p.resetId, p.now, { purpose: "reset", client: p.client }),
      storeCode(db, { id: p.codeId, methodId: p.methodId, flow: p.resetId, hash: p.hash, now: p.now, expiresAt: sql`${p.now} + ${ttl} * 60000` }, sql`${may} and ${countryAllowed} and ${withinLimits}`),
      incrementCounters(db, byType.flatMap((b) => b.limits.map((l) => ({ ...l, kind: b.type }))), p.now, (kind) => sql`${kind} = ${type} and ${stored}`),
      ...(development ? [outboxInsert(db, outbox, p.now, stored)] : []),
      // A stored code's challenge, or an app's, which sends nothing and is only audited: one statement
      // for both (each statement of a batch costs D1 a fixed share of a millisecond, issue 13).
      audit(sql`${stored} or (${type} = 'totp' and ${may})`),
    ] as const;
  });
const challengeStatements = { development: challengeTemplate(true), production: challengeTemplate(false) };

/**
 * POST /v1/resets/{id}/challenges for an email or SMS method (and an app's, which only audits), as
 * statements for authenticateReset's one batch (issue 13): the code, its id and its HMAC are made
 * before the batch, which decides and writes (challengeTemplate). challenge.ts answers from the batch:
 * a refusal from what it read, which is what the INSERT saw; the message goes out after the response,
 * only if the code was stored. The statements' first two results are the live code and the counters,
 * the third the stored code's.
 */
export async function codeChallenge(p: { env: Env; db: Db; secret: string; resetId: string; methodId: string; now: number; ip: string | null; client: string }) {
  const code = newCode();
  const codeId = newId("code");
  const hash = await codeHash(p.secret, p.methodId, p.resetId, code);
  const development = isDevelopment(p.env);
  const template = development ? challengeStatements.development : challengeStatements.production;
  return {
    code,
    statements: (tokenHash: string) =>
      template(p.db, {
        tokenHash,
        resetId: p.resetId,
        methodId: p.methodId,
        client: p.client,
        now: p.now,
        ip: p.ip,
        codeId,
        hash,
        code,
      }),
  };
}
