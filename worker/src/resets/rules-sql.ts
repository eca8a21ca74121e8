import type { SQL } from "drizzle-orm";
import { sql } from "drizzle-orm";
import { DEFAULT_POLICY } from "../../../shared/policy/defaults.js";
import { ADMIN_METHODS_AVAILABLE, ADMIN_METHODS_REQUIRED } from "../../../shared/policy/method-types.js";
import { frozen } from "../db/frozen-sql.js";

/**
 * The reset rules of registration/status.ts, view.ts (usableMethods) and authenticate-reset.ts
 * (isRevoked), as SQL over the stored policy, so a reset request can decide and write in one D1 batch
 * (issue 13) instead of reading, deciding in JS and writing in a second round trip. The JS versions
 * still build the answers from the same batch's reads, which see the state these conditions saw (a
 * batch is one transaction): where the two could ever differ, the SQL is the one that writes, and the
 * flows answer from what it wrote. tests/worker/reset-rules-sql.test.ts holds them to each other.
 *
 * Aliases: `u` is the users row, `r` the resets row, `m` a recovery_methods row. Every fragment here is
 * constant, so each is rendered once (db/frozen-sql.ts); only mayProve, stands and mayComplete bind a request's values.
 */

const settings = sql`(select settings from policies order by version desc limit 1)`;

const settingCache = new Map<string, SQL>();

/** A policy value merged over the defaults as policyFromRow merges them (section by section; before setup, the defaults). */
export function policySetting(path: string, fallback: unknown): SQL {
  const value = typeof fallback === "object" ? JSON.stringify(fallback) : fallback;
  const key = `${path}\u0000${typeof value}\u0000${String(value)}`;
  let fragment = settingCache.get(key);
  if (!fragment) settingCache.set(key, (fragment = frozen(sql`coalesce(json_extract(${settings}, ${path}), ${value})`)));
  return fragment;
}

const isAdmin = sql`exists (select 1 from json_each(u.roles) where value in ('global_admin', 'password_admin'))`;

/** methodRulesFor(u).required */
export const requiredFor = frozen(sql`(case when ${isAdmin} then ${ADMIN_METHODS_REQUIRED} else ${policySetting("$.methods.required", DEFAULT_POLICY.methods.required)} end)`);

/** methodRulesFor(u).available, as a JSON array */
const availableFor = frozen(sql`(case when ${isAdmin} then ${JSON.stringify(ADMIN_METHODS_AVAILABLE)} else ${policySetting("$.methods.available", DEFAULT_POLICY.methods.available)} end)`);

/** isEnabledForReset(u) */
export const enabledForReset = frozen(sql`(case when ${isAdmin} then ${policySetting("$.adminPolicy.enabled", DEFAULT_POLICY.adminPolicy.enabled ? 1 : 0)}
  else (case ${policySetting("$.selfServiceReset.enabledFor", DEFAULT_POLICY.selfServiceReset.enabledFor)} when 'all' then 1 when 'none' then 0
    else exists (select 1 from json_each(u.groups) g join json_each(${policySetting("$.selfServiceReset.groups", DEFAULT_POLICY.selfServiceReset.groups)}) p on g.value = p.value) end) end)`);

/** usableMethods: `m` is active, of a type u's policy offers, and not security questions when fewer than 2 are required. */
const usable = (required: SQL, available: SQL = availableFor) =>
  frozen(sql`(m.status = 'active' and m.type in (select value from json_each(${available})) and not (m.type = 'security_questions' and ${required} < 2))`);
/** usable under the reset's own number of methods (`r`). */
const usableForReset = usable(sql`r.methods_required`);

/** hasEnoughMethods under rules that do not depend on the row (`required` and `available` constants). */
const enoughUnder = (required: SQL, available: SQL) =>
  sql`((select count(distinct m.type) from recovery_methods m where m.user_id = u.id and ${usable(required, available)}) >= ${required}
    and exists (select 1 from recovery_methods m where m.user_id = u.id and m.type <> 'security_questions' and ${usable(required, available)}))`;

/**
 * hasEnoughMethods over u's usable methods. Whether u is an admin is asked once per user and each
 * branch's rules are constants, so SQLite builds each `in` list once per statement rather than for
 * every method row (the admin list filters 100,000 users by this, issue 13).
 */
export const hasEnoughMethods = frozen(sql`(case when ${isAdmin}
  then ${enoughUnder(sql`${ADMIN_METHODS_REQUIRED}`, sql`${JSON.stringify(ADMIN_METHODS_AVAILABLE)}`)}
  else ${enoughUnder(policySetting("$.methods.required", DEFAULT_POLICY.methods.required), policySetting("$.methods.available", DEFAULT_POLICY.methods.available))} end)`);

/** isRevoked(r, u) negated: the reset `r` of `u` still stands under the current user and policy. */
const standing = frozen(sql`(u.disabled = 0 and ${enabledForReset} and r.methods_required >= ${requiredFor}
  and not exists (select 1 from json_each(r.verified_method_ids) v where not exists (
    select 1 from recovery_methods m where m.id = v.value and m.user_id = u.id and ${usableForReset})))`);

/** u's self-service reset is not blocked at `now`. */
const notBlocked = (now: number) => sql`(u.reset_blocked_until is null or u.reset_blocked_until <= ${now})`;

const standsAnd = (resetId: string, also: SQL) => sql`exists (select 1 from resets r join users u on u.id = r.user_id where r.id = ${resetId} and ${standing} and ${also})`;

/** The reset still stands (`standing`: user enabled and let to reset, rules not raised, its proofs still usable). */
export const stands = (resetId: string) => standsAnd(resetId, sql`1`);

/**
 * The reset still stands and its user is not blocked, as SQL evaluated when the completing statement
 * runs: a policy change or a sync that came between authenticateReset's check and this write (the
 * password rules, the KDF, a directory's round trip) stops the completion too.
 */
export const mayComplete = (resetId: string, now: number) => standsAnd(resetId, notBlocked(now));

/**
 * What authenticateReset, assertVerifying and pickMethod let through, as one condition: the token's
 * reset is the one in the path, still verifying, not expired, standing, its user not blocked, and the
 * method one of its usable methods of a type not verified yet.
 */
export function mayProve(p: { tokenHash: string; resetId: string; methodId: string; now: number }): SQL {
  return sql`exists (select 1 from resets r join users u on u.id = r.user_id join recovery_methods m on m.id = ${p.methodId} and m.user_id = u.id
    where r.token_hash = ${p.tokenHash} and r.id = ${p.resetId} and r.status = 'verifying' and r.expires_at > ${p.now}
      and ${notBlocked(p.now)} and ${standing} and ${usableForReset}
      and not exists (select 1 from json_each(r.verified_method_ids) v join recovery_methods vm on vm.id = v.value where vm.type = m.type))`;
}
