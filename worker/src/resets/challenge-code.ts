import type { SQL } from "drizzle-orm";
import { and, sql } from "drizzle-orm";
import { LOCALES } from "../../../shared/locale.js";
import { DEFAULT_POLICY } from "../../../shared/policy/defaults.js";
import { codeHash, codeStored, newCode, storeCode } from "../challenges/codes.js";
import type { Db } from "../context.js";
import { newId } from "../crypto/random.js";
import { rawStatement } from "../db/raw.js";
import { auditEvents, recoveryMethods, users } from "../db/schema.js";
import { outboxStatement } from "../delivery/deliver.js";
import { countNow, incrementCounters } from "../limits/counters.js";
import { STRATEGIES } from "../methods/strategy.js";
import { mayProve, policySetting } from "./rules-sql.js";

const CODE_TYPES = ["email", "sms"] as const;
// Stand-ins for what the batch alone knows: the user, the destination, the org name and the code's TTL.
const USER = "\u0000user";
const TARGET = "\u0000target";
const ORG = "\u0001org";
const MINUTES = "\u0001minutes";

/** A code type's send limits (strategy.ts, the one definition) with the user's and the destination's keys as SQL. */
function sendLimitsSql(type: (typeof CODE_TYPES)[number], methodId: string, userId: SQL, target: SQL, client: string) {
  return STRATEGIES[type].sendLimits!({ id: methodId, target: TARGET }, USER, { purpose: "reset", client }).map((l) => {
    const [stand, value] = l.key.endsWith(USER) ? [USER, userId] : l.key.endsWith(TARGET) ? [TARGET, sql`lower(${target})`] : [null, null];
    return { ...l, key: stand ? sql`${l.key.slice(0, -stand.length)} || ${value}` : l.key };
  });
}

/**
 * POST /v1/resets/{id}/challenges for an email or SMS method (and an app's, which only audits), as
 * statements for authenticateReset's one batch (issue 13). The code, its id and its HMAC are made
 * before the batch; the batch stores the code only while `mayProve` holds, the number is in the
 * policy's smsCountries, the per-method, per-user and per-destination send limits of the method's type
 * are not reached and the last code is at least 60 s old — all inside the one INSERT, so concurrent
 * sends cannot slip past a limit — and counts, audits and (in development) puts in the outbox only a
 * code it stored. challenge.ts answers from the batch: a refusal from what it read, which is what the
 * INSERT saw; the message goes out after the response, only if the code was stored.
 */
export async function codeChallenge(p: { env: Env; db: Db; secret: string; resetId: string; methodId: string; now: number; ip: string | null; client: string }) {
  const { db, now, resetId, methodId } = p;
  const code = newCode();
  const codeId = newId("code");
  const hash = await codeHash(p.secret, methodId, resetId, code);
  return {
    code,
    statements(userId: SQL, tokenHash: string) {
      const column = (name: "type" | "target") => sql`(select ${recoveryMethods[name]} from ${recoveryMethods} where ${recoveryMethods.id} = ${methodId})`;
      const [type, target] = [column("type"), column("target")];
      const may = mayProve({ tokenHash, resetId, methodId, now });
      const byType = CODE_TYPES.map((t) => ({ type: t, limits: sendLimitsSql(t, methodId, userId, target, p.client) }));
      const withinLimits = sql`(case ${type} ${sql.join(
        byType.map((b) => sql`when ${b.type} then (${and(...b.limits.map((l) => sql`${countNow(l.key, now)} < ${l.max}`))})`),
        sql` `,
      )} else 0 end)`;
      const countries = policySetting("$.methods.smsCountries", DEFAULT_POLICY.methods.smsCountries);
      // Calling codes are prefix-free, so a prefix match is smsCountryAllowed's calling-code match.
      const countryAllowed = sql`(${type} <> 'sms' or json_array_length(${countries}) = 0
        or exists (select 1 from json_each(${countries}) c where substr(${target}, 1, length(c.value)) = c.value))`;
      const ttl = policySetting("$.challenges.codeTtlMinutes", DEFAULT_POLICY.challenges.codeTtlMinutes);
      const stored = codeStored(codeId);
      // The message in the user's language (issue 18), as challenge() sends it: one branch per locale and channel.
      const locale = sql`coalesce((select ${users.locale} from ${users} where ${users.id} = ${userId}), ${policySetting("$.defaultLocale", DEFAULT_POLICY.defaultLocale)})`;
      const byChannel = (pick: (m: { subject: string; text: string }) => string) =>
        sql`replace(replace(case ${locale} || ':' || ${type} ${sql.join(
          LOCALES.flatMap((l) =>
            CODE_TYPES.map((t) => {
              const m = STRATEGIES[t].codeMessage!({ to: TARGET, orgName: ORG, code, minutes: MINUTES, purpose: "reset", locale: l });
              return sql`when ${`${l}:${t}`} then ${pick(m)}`;
            }),
          ),
          sql` `,
        )} end, ${ORG}, ${policySetting("$.orgName", DEFAULT_POLICY.orgName)}), ${MINUTES}, ${ttl})`;
      const audit = (condition: SQL) =>
        rawStatement(
          db,
          sql`insert into ${auditEvents} (at, type, actor_id, subject_id, ip, outcome, detail)
            select ${now}, 'reset.challenge_sent', null, ${userId}, ${p.ip}, 'success', json_object('resetId', ${resetId}, 'methodType', ${type}) where ${condition}`,
        );
      return [
        storeCode(db, { id: codeId, methodId, flow: resetId, hash, now, expiresAt: sql`${now} + ${ttl} * 60000` }, sql`${may} and ${countryAllowed} and ${withinLimits}`),
        incrementCounters(db, byType.flatMap((b) => b.limits.map((l) => ({ ...l, onlyIf: sql`${stored} and ${type} = ${b.type}` }))), now),
        ...outboxStatement(p.env, db, { channel: type, to: sql`lower(${target})`, subject: byChannel((m) => m.subject), text: byChannel((m) => m.text), code }, now, stored),
        audit(stored),
        // An app's challenge sends nothing: it is only audited.
        audit(sql`${may} and ${type} = 'totp'`),
      ] as const;
    },
  };
}
