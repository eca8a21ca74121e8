import type { Method, Registration } from "../../shared/api/users.js";
import type { MethodType } from "../../shared/policy/method-types.js";

/** What the registration page shows, assembled by the background from GET /v1/me and the public config. */
export interface RegistrationView {
  user: { username: string; displayName: string; admin: boolean };
  registration: Registration;
  /** Types this user may register: the policy's, or the fixed admin set (spec §4, "two-gate"). */
  available: MethodType[];
  /** Security questions to answer when registering them. */
  numberToRegister: number;
  orgName: string;
  helpdesk: { url: string | null; email: string | null };
}

/** POST /v1/me/methods: an authenticator app also gets its secret, shown once as a QR code and text. */
export interface AddedMethod {
  method: Method;
  secret?: string;
  otpauthUri?: string;
}

export interface QuestionList {
  questions: { id: string; text: string }[];
  registered: string[];
}

/** The policy's sign-in pages, and those the user (or the admin's build) granted host access to. */
export interface SignInAccess {
  patterns: string[];
  granted: string[];
  /** Listed by the policy but left out: they match every website. */
  refused: string[];
  /** The worker's host: where the passwords typed on these pages are checked. */
  server: string | null;
}
