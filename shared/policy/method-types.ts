export const METHOD_TYPES = ["email", "sms", "totp", "security_questions"] as const;
export type MethodType = (typeof METHOD_TYPES)[number];

/** Spec §4: admin accounts use the fixed two-gate policy, never security questions. */
export const ADMIN_METHODS_REQUIRED = 2;
export const ADMIN_METHODS_AVAILABLE: readonly MethodType[] = ["email", "sms", "totp"];
