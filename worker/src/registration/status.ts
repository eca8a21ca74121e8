import type { Method, Registration } from "../../../shared/api/users.js";
import type { Policy } from "../../../shared/policy/schema.js";
import type { MethodType } from "../../../shared/policy/method-types.js";
import { ADMIN_METHODS_AVAILABLE, ADMIN_METHODS_REQUIRED } from "../../../shared/policy/method-types.js";
import { isoOrNull } from "../clock.js";

const DAY_MS = 86_400_000;

export interface UserForPolicy {
  roles: string[];
  groups: string[];
  registrationConfirmedAt: number | null;
  registrationSkips: number;
}

export const isAdminAccount = (roles: readonly string[]): boolean =>
  roles.includes("global_admin") || roles.includes("password_admin");

/** Which methods, and how many, this user's policy asks for (spec §4: admins use the fixed two-gate policy). */
export function methodRulesFor(user: Pick<UserForPolicy, "roles">, policy: Policy): { required: number; available: readonly MethodType[] } {
  if (isAdminAccount(user.roles)) return { required: ADMIN_METHODS_REQUIRED, available: ADMIN_METHODS_AVAILABLE };
  return { required: policy.methods.required, available: policy.methods.available };
}

/** Whether the policy lets this user reset their own password at all. */
export function isEnabledForReset(user: Pick<UserForPolicy, "roles" | "groups">, policy: Policy): boolean {
  if (isAdminAccount(user.roles)) return policy.adminPolicy.enabled;
  const { enabledFor, groups } = policy.selfServiceReset;
  if (enabledFor === "all") return true;
  if (enabledFor === "none") return false;
  return user.groups.some((g) => groups.includes(g));
}

/**
 * Enough methods = at least `required` distinct usable types (a second verified method must be of a
 * different type) and at least one that is not security questions (they never suffice alone, spec §3).
 */
export function hasEnoughMethods(activeTypes: readonly MethodType[], rules: { required: number; available: readonly MethodType[] }): boolean {
  const usable = new Set(activeTypes.filter((t) => rules.available.includes(t)));
  const strong = [...usable].some((t) => t !== "security_questions");
  return strong && usable.size >= rules.required;
}

/**
 * Whether the user's registration is complete once `activated` is active too. Skips restart only
 * then: verifying one of two required methods is not "done", and must not buy more "Not now"s.
 */
export function completeWith(user: Pick<UserForPolicy, "roles">, methods: readonly { id: string; type: MethodType; status: string }[], activated: { id: string; type: MethodType }, policy: Policy): boolean {
  const active = [...methods.filter((m) => m.status === "active" && m.id !== activated.id).map((m) => m.type), activated.type];
  return hasEnoughMethods(active, methodRulesFor(user, policy));
}

export function registrationStatus(user: UserForPolicy, methods: Method[], policy: Policy, now: number): Registration {
  const rules = methodRulesFor(user, policy);
  const active = methods.filter((m) => m.status === "active").map((m) => m.type);
  const complete = hasEnoughMethods(active, rules);
  const enabled = isEnabledForReset(user, policy);
  const { requireOnSignIn, reconfirmDays, skipsAllowed } = policy.registration;
  const confirmed = user.registrationConfirmedAt;
  const stale = reconfirmDays > 0 && (confirmed === null || now - confirmed > reconfirmDays * DAY_MS);
  return {
    methodsRequired: rules.required,
    methods,
    complete,
    required: enabled && requireOnSignIn && !complete,
    reconfirmDue: enabled && complete && stale,
    skipsLeft: Math.max(0, skipsAllowed - user.registrationSkips),
    lastConfirmedAt: isoOrNull(confirmed),
  };
}
