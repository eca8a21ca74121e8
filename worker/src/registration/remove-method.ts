import { eq, sql } from "drizzle-orm";
import type { Policy } from "../../../shared/policy/schema.js";
import { auditInsertIf } from "../audit.js";
import type { FlowContext } from "../context.js";
import { runBatch } from "../db/batch.js";
import { recoveryMethods } from "../db/schema.js";
import type { MethodRow, UserRow } from "../directory/views.js";
import { endUnfinishedResets } from "../resets/end-unfinished.js";
import { methodChangeNotice } from "./method-notices.js";

export interface RemoveMethod {
  ctx: FlowContext;
  user: UserRow;
  /** The user's methods, the one to remove among them. */
  methods: MethodRow[];
  method: MethodRow;
  policy: Policy;
}

/**
 * DELETE /v1/me/methods/{id}. Removing an active method changes how the account can be recovered, so
 * the owner's addresses hear of it (the removed address too), and unfinished resets end: one verified
 * with the method the owner just dropped (perhaps because someone else holds it) must not go on to set
 * a password. A pending method never could be used, so its removal is not news.
 */
export async function removeMethod(r: RemoveMethod): Promise<void> {
  const { ctx, user, method } = r;
  // Evaluated before the delete in the same transaction: of removals that race, only the one whose
  // delete will find the method records and announces it.
  const stillThere = sql`exists (select 1 from ${recoveryMethods} where ${recoveryMethods.id} = ${method.id})`;
  const notice = method.status === "active" ? methodChangeNotice(ctx, { ...r, change: "removed", onlyIf: stillThere }) : null;
  const results = await runBatch(ctx.db, [
    ...(method.status === "active" ? endUnfinishedResets(ctx.db, user.id, stillThere) : []),
    auditInsertIf(ctx.db, { type: "method.removed", at: ctx.now, actorId: user.id, subjectId: user.id, ip: ctx.ip, outcome: "success", detail: { methodId: method.id, methodType: method.type } }, stillThere),
    ...(notice?.statements ?? []),
    ctx.db.delete(recoveryMethods).where(eq(recoveryMethods.id, method.id)),
  ]);
  notice?.send(results);
}
