import type { SQL } from "drizzle-orm";
import { and, sql } from "drizzle-orm";
import type { Reset, ResetPurpose, Unavailable } from "../../../shared/api/resets.js";
import { normaliseUsername } from "../../../shared/username.js";
import type { FlowContext } from "../context.js";
import { newId, newToken } from "../crypto/random.js";
import { sha256Hex } from "../crypto/token-hash.js";
import { changes } from "../db/batch.js";
import { rawStatement } from "../db/raw.js";
import { statementTemplate } from "../db/templates.js";
import { auditEvents, resets } from "../db/schema.js";
import { directory } from "../directory/directory.js";
import type { MethodRow, UserRow } from "../directory/views.js";
import { rateLimited, unlockNotAllowed } from "../errors.js";
import { clientKey } from "../limits/client-key.js";
import { countedRows, countNow, incrementCounters, retryAfterCounted } from "../limits/counters.js";
import type { Limit } from "../limits/counters.js";
import { currentPolicyQuery, policyFromRow } from "../policy/store.js";
import { hasEnoughMethods, isEnabledForReset, methodRulesFor } from "../registration/status.js";
import { resetBlocked } from "./authenticate-reset.js";
import { enabledForReset, hasEnoughMethods as hasEnoughMethodsSql, policySetting, requiredFor } from "./rules-sql.js";
import type { ResetRow } from "./view.js";
import { RESET_TTL_MS, toReset, usableMethods } from "./view.js";

/**
 * Spec §6: 5 resets per username per hour, 30 per client per 10 minutes (keyed by limits/client-key.ts:
 * an IPv6 client by its /64, requests without an address together), known or unknown names alike.
 */
const START_LIMITS = { user: { max: 5, windowMs: 3_600_000 }, client: { max: 30, windowMs: 600_000 } } as const;
const startLimits = (username: string, ip: string | null): Limit[] => [
  { key: `reset-start:user:${username}`, ...START_LIMITS.user },
  { key: `reset-start:client:${clientKey(ip)}`, ...START_LIMITS.client },
];

/**
 * The start's one batch: the user, their methods and the policy for the answer; the two limits counted
 * first (one UPSERT), in the same transaction, so of a burst of concurrent starts only those within the
 * limits go on and a refused one writes nothing else; then the audit row of every start within the
 * limits, and the reset row, written only where that audit row records the verdict 'ok' for this start.
 *
 * D1 prepares every statement of a batch anew for each request, and each statement has a fixed cost
 * besides, so the statements and their SQL are latency (issue 13). The verdict is compiled once, in the
 * audit row (the reset row finds its detail, which names the new reset's id). That row's subquery `x`
 * is one row (usernames are unique) and says `limit 1`, which keeps SQLite from flattening it:
 * flattened, the verdict was copied into each of its three uses in the outer select and compiled three
 * more times (in SQLite 3.40, 730 µs to prepare against 280 µs).
 */
const startStatements = statementTemplate(
  ["username", "userKey", "clientKey", "now", "id", "tokenHash", "purpose", "ip", "expiresAt", "startedDetail", "blockedDetail"],
  (db, p) => {
    const limits = [
      { key: p.userKey, ...START_LIMITS.user },
      { key: p.clientKey, ...START_LIMITS.client },
    ];
    const withinLimits = and(...limits.map((l) => sql`${countNow(l.key, p.now)} <= ${l.max}`))!;
    const verdict = verdictOf(p.now, p.purpose);
    return [
      directory.findByUsername(db, p.username),
      directory.methodsOfUsername(db, p.username),
      currentPolicyQuery(db),
      incrementCounters(db, limits.map((l) => ({ ...l, kind: "start" })), p.now, () => sql`1`, { returning: true }),
      rawStatement(
        db,
        sql`insert into ${auditEvents} (at, type, actor_id, subject_id, ip, outcome, detail)
          select ${p.now}, 'reset.started', null, x.uid, ${p.ip}, case x.verdict when 'ok' then 'success' else 'failure' end,
            case x.verdict when 'ok' then ${p.startedDetail} when 'blocked' then ${p.blockedDetail}
              else json_object('available', json('false'), 'reason', x.verdict) end
          from (select u.id as uid, case when u.id is null then 'unknown_user' else ${verdict} end as verdict
            from (select 1) left join users u on u.username = ${p.username} limit 1) x
          where ${withinLimits}`,
      ),
      // Written where the audit row above says this start (its detail names the new reset's id) was 'ok'.
      rawStatement(
        db,
        sql`insert into ${resets} (id, token_hash, user_id, purpose, status, methods_required, verified_method_ids, ip, created_at, expires_at)
          select ${p.id}, ${p.tokenHash}, u.id, ${p.purpose}, 'verifying', ${requiredFor}, '[]', ${p.ip}, ${p.now}, ${p.expiresAt}
          from users u where u.username = ${p.username}
            and exists (select 1 from ${auditEvents} a where a.type = 'reset.started' and a.at = ${p.now} and a.detail = ${p.startedDetail})`,
      ),
    ] as const;
  },
);

/** What the SQL verdict below says, in JS: only to tell a blocked user's refusal from `unavailable`. */
function eligible(user: UserRow, methods: MethodRow[], policy: ReturnType<typeof policyFromRow>): boolean {
  if (user.disabled || !isEnabledForReset(user, policy)) return false;
  const rules = methodRulesFor(user, policy);
  return hasEnoughMethods(usableMethods(methods, rules).map((m) => m.type), rules);
}

/**
 * POST /v1/resets, in one D1 round trip. Unknown, disabled, not-enabled and not-registered users all get
 * the same 200 `unavailable` answer after the same batch and the same kind of writes (counters, an audit
 * row), so neither the answer nor its timing tells them apart (spec §9). Why is in the audit log only:
 * the batch decides in SQL (rules-sql.ts) whether the reset row is written and which audit detail is,
 * and this code answers from what it wrote.
 * A start with purpose "unlock" while the policy's `allowUnlock` is off is refused with 409
 * `unlock_not_allowed` for every username alike (known or not), after the same batch.
 */
export async function startReset(ctx: FlowContext, rawUsername: string, purpose: ResetPurpose = "reset"): Promise<{ status: 201; body: Reset } | { status: 200; body: Unavailable }> {
  const { db, now } = ctx;
  const username = normaliseUsername(rawUsername);
  const limits = startLimits(username, ctx.ip);
  const token = newToken();
  const id = newId("rst");
  const tokenHash = await sha256Hex(token);
  const [userRows, methodRows, policyRows, counted, , created] = await db.batch(
    startStatements(db, {
      username,
      userKey: limits[0]!.key,
      clientKey: limits[1]!.key,
      now,
      id,
      tokenHash,
      purpose,
      ip: ctx.ip,
      expiresAt: now + RESET_TTL_MS,
      startedDetail: JSON.stringify({ available: true, resetId: id, purpose }),
      blockedDetail: JSON.stringify({ refused: "reset_blocked", purpose }),
    }),
  );
  const wait = retryAfterCounted(countedRows(counted), limits, now);
  if (wait !== null) throw rateLimited(wait, "Too many password resets were started. Try again later.");
  const policy = policyFromRow(policyRows[0]);
  if (purpose === "unlock" && !policy.selfServiceReset.allowUnlock) throw unlockNotAllowed();
  const user = userRows[0];
  if (user && changes(created) === 1) {
    const rules = methodRulesFor(user, policy);
    const row: ResetRow = { id, tokenHash, userId: user.id, purpose, status: "verifying", methodsRequired: rules.required, verifiedMethodIds: [], ip: ctx.ip, createdAt: now, expiresAt: now + RESET_TTL_MS, completedAt: null, completionId: null, claimedUntil: null };
    return { status: 201, body: toReset(row, usableMethods(methodRows, rules), token) };
  }
  // A refused start is audited like any other (and was counted above).
  if (user?.resetBlockedUntil && user.resetBlockedUntil > now && eligible(user, methodRows, policy)) throw resetBlocked(user.resetBlockedUntil, now);
  return { status: 200, body: { status: "unavailable", helpdesk: policy.helpdesk } };
}

/**
 * Why a user may not start a reset, as SQL over `u`, or 'ok'; a blocked user is refused only once
 * eligible. An unlock the policy does not allow comes first: it is refused for everyone alike.
 */
const verdictOf = (now: number, purpose: ResetPurpose): SQL => sql`(case when ${purpose} = 'unlock' and not ${policySetting("$.selfServiceReset.allowUnlock", 1)} then 'unlock_not_allowed'
  when u.disabled then 'disabled' when not ${enabledForReset} then 'not_enabled'
  when not ${hasEnoughMethodsSql} then 'not_registered' when u.reset_blocked_until > ${now} then 'blocked' else 'ok' end)`;
