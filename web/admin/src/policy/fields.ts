import { LOCALES } from "../../../../shared/locale.js";
import { METHOD_TYPES } from "../../../../shared/policy/method-types.js";
import { languageName } from "../format.js";
import { DEFAULT_POLICY } from "../../../../shared/policy/defaults.js";

/** How one policy field is edited; `path` is its place in the policy (and in the server's error details). */
export type Field =
  | { kind: "number"; path: string; label: string; min: number; max: number; unit?: string; emptyMeans?: string }
  | { kind: "boolean"; path: string; label: string }
  | { kind: "text"; path: string; label: string; nullable?: boolean; inputType?: "text" | "url" | "email" }
  | { kind: "select"; path: string; label: string; options: { value: string; label: string }[] }
  | { kind: "checkboxes"; path: string; label: string; options: { value: string; label: string }[] }
  | { kind: "lines"; path: string; label: string; hint: string }
  | { kind: "questions"; path: string; label: string; hint: string };

export interface Section {
  title: string;
  fields: Field[];
}

const METHOD_LABELS: Record<string, string> = { email: "Email code", sms: "Text message code", totp: "Authenticator app", security_questions: "Security questions" };

/** The policy's fields grouped as people think of them (issue 14), ranges from shared/policy/schema.ts. */
export const SECTIONS: Section[] = [
  {
    title: "Who can reset",
    fields: [
      { kind: "text", path: "orgName", label: "Organisation name (shown to users)" },
      {
        kind: "select",
        path: "defaultLocale",
        label: "Language of emails and text messages, for users who have not chosen one",
        options: LOCALES.map((l) => ({ value: l, label: languageName(l) })),
      },
      {
        kind: "select",
        path: "selfServiceReset.enabledFor",
        label: "Self-service reset is on for",
        options: [
          { value: "all", label: "Everyone" },
          { value: "selected", label: "Members of the groups below" },
          { value: "none", label: "No one" },
        ],
      },
      { kind: "lines", path: "selfServiceReset.groups", label: "Groups", hint: "One group name a line (up to 50). Used when reset is on for selected groups." },
      { kind: "boolean", path: "selfServiceReset.allowUnlock", label: "Users who know their password may unlock their own sign-in" },
      { kind: "boolean", path: "adminPolicy.enabled", label: "Admins may reset their own password (with two methods, never security questions)" },
    ],
  },
  {
    title: "Methods",
    fields: [
      { kind: "select", path: "methods.required", label: "Methods needed to reset", options: [{ value: "1", label: "1" }, { value: "2", label: "2" }] },
      { kind: "checkboxes", path: "methods.available", label: "Methods users may register", options: METHOD_TYPES.map((t) => ({ value: t, label: METHOD_LABELS[t]! })) },
      { kind: "lines", path: "methods.smsCountries", label: "Countries text messages may go to", hint: "Calling codes such as +44, one a line. Empty: any country." },
      { kind: "number", path: "securityQuestions.numberToRegister", label: "Security questions to register", min: 3, max: 5 },
      { kind: "number", path: "securityQuestions.numberToReset", label: "Security questions asked at a reset", min: 3, max: 5 },
      { kind: "questions", path: "securityQuestions.custom", label: "Your own security questions", hint: "One a line as id: question, e.g. first-car: What was your first car? (up to 20). Removing a question, or asking more at a reset, asks users left with too few of their answered questions to answer again." },
      { kind: "number", path: "challenges.codeTtlMinutes", label: "Codes expire after", min: 1, max: 10, unit: "minutes" },
    ],
  },
  {
    title: "Registration",
    fields: [
      { kind: "boolean", path: "registration.requireOnSignIn", label: "Ask users to register when they sign in" },
      { kind: "number", path: "registration.reconfirmDays", label: "Ask to reconfirm methods after", min: 0, max: 730, unit: "days (0: never)" },
      { kind: "number", path: "registration.skipsAllowed", label: "Times a user may skip registering", min: 0, max: 10 },
    ],
  },
  {
    title: "Notifications",
    fields: [
      { kind: "boolean", path: "notifications.notifyUserOnReset", label: "Tell users when their password is reset" },
      { kind: "boolean", path: "notifications.notifyAdminsOnAdminReset", label: "Tell all admins when an admin resets their password" },
    ],
  },
  {
    title: "Password rules",
    fields: [
      { kind: "number", path: "passwordPolicy.minLength", label: "Minimum length", min: 8, max: 64, unit: "characters" },
      { kind: "number", path: "passwordPolicy.maxLength", label: "Maximum length", min: 64, max: 256, unit: "characters" },
      { kind: "number", path: "passwordPolicy.requiredCharacterClasses", label: "Character kinds required (lower, upper, digit, symbol)", min: 0, max: 4 },
      { kind: "boolean", path: "passwordPolicy.blockCommonPasswords", label: "Refuse common passwords" },
      { kind: "lines", path: "passwordPolicy.bannedWords", label: "Banned words", hint: "4 to 16 characters each, one a line (up to 1000): your organisation's name, products, places." },
      { kind: "number", path: "passwordPolicy.historyCount", label: "Earlier passwords that may not be reused", min: 0, max: 24 },
      { kind: "number", path: "passwordPolicy.expiry.days", label: "Passwords expire after", min: 14, max: 730, unit: "days", emptyMeans: "never expire" },
      { kind: "number", path: "passwordPolicy.expiry.notifyDaysBefore", label: "Remind users before their password expires", min: 1, max: 30, unit: "days" },
    ],
  },
  {
    title: "Lockout",
    fields: [
      { kind: "number", path: "lockout.signInThreshold", label: "Wrong passwords before sign-in locks", min: 3, max: 50 },
      { kind: "number", path: "lockout.signInLockSeconds", label: "First sign-in lock lasts", min: 10, max: 3600, unit: "seconds" },
      { kind: "number", path: "lockout.resetFailuresToBlock", label: "Failed reset attempts before resets are blocked", min: 3, max: 10 },
      { kind: "number", path: "lockout.resetBlockHours", label: "Reset block lasts", min: 1, max: 72, unit: "hours" },
    ],
  },
  {
    title: "Sign-in pages",
    fields: [{ kind: "lines", path: "signInPages", label: "Pages where the extension offers help", hint: "Match patterns such as https://login.example.com/*, one a line (up to 100)." }],
  },
  {
    title: "Helpdesk",
    fields: [
      { kind: "text", path: "helpdesk.url", label: "Helpdesk web page", nullable: true, inputType: "url" },
      { kind: "text", path: "helpdesk.email", label: "Helpdesk email address", nullable: true, inputType: "email" },
    ],
  },
];

export const ALL_FIELDS = SECTIONS.flatMap((s) => s.fields);

/** The default of a field, for its hint: read from the same defaults the worker seeds. */
export function defaultOf(path: string): unknown {
  return getPath(DEFAULT_POLICY, path);
}

export function getPath(obj: unknown, path: string): unknown {
  return path.split(".").reduce<unknown>((o, k) => (o as Record<string, unknown> | undefined)?.[k], obj);
}

export function setPath<T>(obj: T, path: string, value: unknown): T {
  const [head, ...rest] = path.split(".");
  const copy = { ...(obj as Record<string, unknown>) };
  copy[head!] = rest.length ? setPath(copy[head!], rest.join("."), value) : value;
  return copy as T;
}

/** The field an error path belongs to: the longest field path that is a prefix of it ("securityQuestions.custom.2.text"). */
export function fieldOfPath(path: string): string | null {
  const match = ALL_FIELDS.map((f) => f.path)
    .filter((p) => path === p || path.startsWith(`${p}.`))
    .sort((a, b) => b.length - a.length)[0];
  return match ?? null;
}
