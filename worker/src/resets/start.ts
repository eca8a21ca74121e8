import type { Reset, Unavailable } from "../../../shared/api/resets.js";
import { normaliseUsername } from "../../../shared/username.js";
import { auditInsert } from "../audit.js";
import type { FlowContext } from "../context.js";
import { newId, newToken } from "../crypto/random.js";
import { sha256Hex } from "../crypto/token-hash.js";
import { runBatch } from "../db/batch.js";
import { resets } from "../db/schema.js";
import { directory } from "../directory/directory.js";
import type { MethodRow, UserRow } from "../directory/views.js";
import { rateLimited } from "../errors.js";
import { clientKey } from "../limits/client-key.js";
import { incrementCounter, retryAfterCounted } from "../limits/counters.js";
import type { Limit } from "../limits/counters.js";
import { currentPolicyQuery, policyFromRow } from "../policy/store.js";
import { hasEnoughMethods, isEnabledForReset, methodRulesFor } from "../registration/status.js";
import { resetBlocked } from "./authenticate-reset.js";
import type { ResetRow } from "./view.js";
import { RESET_TTL_MS, toReset, usableMethods } from "./view.js";

/**
 * Spec §6: 5 resets per username per hour, 30 per client per 10 minutes (keyed by limits/client-key.ts:
 * an IPv6 client by its /64, requests without an address together), known or unknown names alike.
 */
const startLimits = (username: string, ip: string | null): Limit[] => [
  { key: `reset-start:user:${username}`, max: 5, windowMs: 3_600_000 },
  { key: `reset-start:client:${clientKey(ip)}`, max: 30, windowMs: 600_000 },
];

type Eligibility = { ok: true; methods: MethodRow[]; required: number } | { ok: false; reason: "unknown_user" | "disabled" | "not_enabled" | "not_registered" };

function eligibility(user: UserRow | undefined, methods: MethodRow[], policy: ReturnType<typeof policyFromRow>): Eligibility {
  if (!user) return { ok: false, reason: "unknown_user" };
  if (user.disabled) return { ok: false, reason: "disabled" };
  if (!isEnabledForReset(user, policy)) return { ok: false, reason: "not_enabled" };
  const rules = methodRulesFor(user, policy);
  const usable = usableMethods(methods, rules);
  if (!hasEnoughMethods(usable.map((m) => m.type), rules)) return { ok: false, reason: "not_registered" };
  return { ok: true, methods: usable, required: rules.required };
}

/**
 * POST /v1/resets. Unknown, disabled, not-enabled and not-registered users all get the same 200
 * `unavailable` answer after the same two round trips and the same kind of writes (counters, an audit
 * row), so neither the answer nor its timing tells them apart (spec §9). Why is in the audit log only.
 */
export async function startReset(ctx: FlowContext, rawUsername: string): Promise<{ status: 201; body: Reset } | { status: 200; body: Unavailable }> {
  const { db, now } = ctx;
  const username = normaliseUsername(rawUsername);
  const limits = startLimits(username, ctx.ip);
  // The start is counted in the first batch, before anything is decided: of a burst of concurrent
  // starts only those within the limits go on.
  const [userRows, methodRows, policyRows, ...counted] = await db.batch([
    directory.findByUsername(db, username),
    directory.methodsOfUsername(db, username),
    currentPolicyQuery(db),
    ...limits.map((l) => incrementCounter(db, l, now)),
  ]);
  const wait = retryAfterCounted(counted.flat(), limits, now);
  if (wait !== null) throw rateLimited(wait, "Too many password resets were started. Try again later.");
  const policy = policyFromRow(policyRows[0]);
  const user = userRows[0];
  const verdict = eligibility(user, methodRows, policy);

  // The token is made whatever the verdict, so both paths do the same work before the writes.
  const token = newToken();
  const row: ResetRow = {
    id: newId("rst"),
    tokenHash: await sha256Hex(token),
    userId: user?.id ?? "",
    status: "verifying",
    methodsRequired: verdict.ok ? verdict.required : 0,
    verifiedMethodIds: [],
    questionDraw: null,
    ip: ctx.ip,
    createdAt: now,
    expiresAt: now + RESET_TTL_MS,
    completedAt: null,
    completionId: null,
  };
  if (verdict.ok && user!.resetBlockedUntil && user!.resetBlockedUntil > now) {
    // A refused start is audited like any other (and was counted above).
    await runBatch(db, [auditInsert(db, { type: "reset.started", at: now, subjectId: user!.id, ip: ctx.ip, outcome: "failure", detail: { refused: "reset_blocked" } })]);
    throw resetBlocked(user!.resetBlockedUntil, now);
  }
  const audit = auditInsert(db, {
    type: "reset.started",
    at: now,
    subjectId: user?.id ?? null,
    ip: ctx.ip,
    outcome: verdict.ok ? "success" : "failure",
    detail: verdict.ok ? { available: true, resetId: row.id } : { available: false, reason: verdict.reason },
  });
  if (!verdict.ok) {
    await runBatch(db, [audit]);
    return { status: 200, body: { status: "unavailable", helpdesk: policy.helpdesk } };
  }
  await runBatch(db, [db.insert(resets).values(row), audit]);
  return { status: 201, body: toReset(row, verdict.methods, token) };
}
