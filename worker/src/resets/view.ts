import { AUTHENTICATOR_HINT, type Reset } from "../../../shared/api/resets.js";
import { iso } from "../clock.js";
import type { resets } from "../db/schema.js";
import type { MethodRow } from "../directory/views.js";

export type ResetRow = typeof resets.$inferSelect;

export const RESET_TTL_MS = 15 * 60_000;

/** The methods a reset may use: active ones the user's policy allows; never security questions alone. */
export function usableMethods(methods: MethodRow[], rules: { required: number; available: readonly string[] }): MethodRow[] {
  return methods.filter(
    (m) => m.status === "active" && rules.available.includes(m.type) && !(m.type === "security_questions" && rules.required < 2),
  );
}

/** A method as a reset shows it: the masked hint, but never an app's label (see AUTHENTICATOR_HINT). */
function resetHint(method: MethodRow, apps: MethodRow[]): string {
  if (method.type !== "totp") return method.hint;
  return apps.length === 1 ? AUTHENTICATOR_HINT : `${AUTHENTICATOR_HINT} ${apps.indexOf(method) + 1}`;
}

export function toReset(row: ResetRow, methods: MethodRow[], token?: string): Reset {
  const apps = methods.filter((m) => m.type === "totp");
  return {
    resetId: row.id,
    ...(token ? { resetToken: token } : {}),
    purpose: row.purpose,
    status: row.status,
    methodsRequired: row.methodsRequired,
    methods: methods.map((m) => ({ id: m.id, type: m.type, hint: resetHint(m, apps) })),
    verifiedMethodIds: row.verifiedMethodIds,
    expiresAt: iso(row.expiresAt),
  };
}
