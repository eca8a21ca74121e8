import { desc } from "drizzle-orm";
import { DEFAULT_POLICY } from "../../../shared/policy/defaults.js";
import { withAdminPolicy } from "../../../shared/policy/schema.js";
import type { Policy, PolicySettings } from "../../../shared/policy/schema.js";
import { iso } from "../clock.js";
import type { Db } from "../context.js";
import { policies } from "../db/schema.js";

/** The current policy row, as a query to put in the request's batch (one round trip for everything). */
export const currentPolicyQuery = (db: Db) =>
  db.select().from(policies).orderBy(desc(policies.version)).limit(1);

type PolicyRow = typeof policies.$inferSelect;

/**
 * Stored settings merged over the defaults section by section, so a policy saved before a setting
 * existed still reads as complete. Before setup there is no row: the defaults are version 0.
 */
export function policyFromRow(row: PolicyRow | undefined): Policy {
  if (!row) return withAdminPolicy(DEFAULT_POLICY, 0, iso(0));
  const stored = JSON.parse(row.settings) as Partial<PolicySettings>;
  const merged = { ...DEFAULT_POLICY } as Record<string, unknown>;
  for (const [key, value] of Object.entries(stored)) {
    const base = merged[key];
    merged[key] =
      base && typeof base === "object" && !Array.isArray(base) && value && typeof value === "object" && !Array.isArray(value)
        ? { ...base, ...value }
        : value;
  }
  return withAdminPolicy(merged as PolicySettings, row.version, iso(row.updatedAt));
}

/** The settings part of a policy (what PUT takes), dropping the fixed admin-policy fields and bookkeeping. */
export function settingsOf(policy: Policy): PolicySettings {
  const { version: _v, updatedAt: _u, adminPolicy, ...rest } = policy;
  return { ...rest, adminPolicy: { enabled: adminPolicy.enabled } };
}

/**
 * Inserting the next version with an explicit primary key makes a concurrent writer on the same base
 * version fail the whole batch (UNIQUE constraint), which is how optimistic locking works without
 * interactive transactions.
 */
export const insertPolicyVersion = (db: Db, settings: PolicySettings, version: number, at: number, actorId: string | null) =>
  db.insert(policies).values({ version, settings: JSON.stringify(settings), updatedAt: at, updatedBy: actorId });
