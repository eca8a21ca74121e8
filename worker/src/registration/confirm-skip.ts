import { and, eq, lt } from "drizzle-orm";
import type { Registration } from "../../../shared/api/users.js";
import type { Policy } from "../../../shared/policy/schema.js";
import { auditInsert } from "../audit.js";
import type { FlowContext } from "../context.js";
import { runBatch } from "../db/batch.js";
import { users } from "../db/schema.js";
import type { MethodRow, UserRow } from "../directory/views.js";
import { toMethod } from "../directory/views.js";
import { ApiError } from "../errors.js";
import { registrationStatus } from "./status.js";

export interface RegistrationAction {
  ctx: FlowContext;
  user: UserRow;
  methods: MethodRow[];
  policy: Policy;
}

const statusOf = (a: RegistrationAction, user: UserRow) => registrationStatus(user, a.methods.map(toMethod), a.policy, a.ctx.now);

/** POST /v1/me/registration/confirm: "my recovery info is current" — only meaningful once it is complete. */
export async function confirmRegistration(a: RegistrationAction): Promise<Registration> {
  if (!statusOf(a, a.user).complete) throw new ApiError(409, "conflict", "Register enough recovery methods first.");
  const { db, now } = a.ctx;
  await runBatch(db, [
    db.update(users).set({ registrationConfirmedAt: now, registrationSkips: 0 }).where(eq(users.id, a.user.id)),
    auditInsert(db, { type: "registration.confirmed", at: now, actorId: a.user.id, subjectId: a.user.id, ip: a.ctx.ip, outcome: "success" }),
  ]);
  return statusOf(a, { ...a.user, registrationConfirmedAt: now, registrationSkips: 0 });
}

/** POST /v1/me/registration/skip: "not now", while skips remain; the count is spent atomically. */
export async function skipRegistration(a: RegistrationAction): Promise<Registration> {
  const allowed = a.policy.registration.skipsAllowed;
  const noSkips = () => new ApiError(409, "no_skips_left", "You can't postpone this any more. Register your recovery info now.");
  if (a.user.registrationSkips >= allowed) throw noSkips();
  const { db, now } = a.ctx;
  const [spent] = (await runBatch(db, [
    db.update(users).set({ registrationSkips: a.user.registrationSkips + 1 }).where(and(eq(users.id, a.user.id), eq(users.registrationSkips, a.user.registrationSkips), lt(users.registrationSkips, allowed))).returning({ skips: users.registrationSkips }),
    auditInsert(db, { type: "registration.skipped", at: now, actorId: a.user.id, subjectId: a.user.id, ip: a.ctx.ip, outcome: "success" }),
  ])) as [{ skips: number }[]];
  if (spent.length === 0) throw noSkips();
  return statusOf(a, { ...a.user, registrationSkips: spent[0]!.skips });
}
