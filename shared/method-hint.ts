import { AUTHENTICATOR_HINT } from "./api/resets.js";
import type { MethodType } from "./policy/method-types.js";

/**
 * The hint worth showing beside a method's type. An authenticator app the user did not name has the
 * type's own words as its hint (AUTHENTICATOR_HINT), which beside the type would read
 * "Authenticator app Authenticator app": such an app shows no hint.
 */
export function shownHint(method: { type: MethodType; hint: string }): string {
  return method.type === "totp" && method.hint === AUTHENTICATOR_HINT ? "" : method.hint;
}
