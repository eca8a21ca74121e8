import type { PolicySettings } from "./schema.js";

/** Spec §4 defaults. `signInPages` is empty here; the dev seed adds the demo page. */
export const DEFAULT_POLICY: PolicySettings = {
  orgName: "Demo Org",
  defaultLocale: "en",
  selfServiceReset: { enabledFor: "all", groups: [], allowUnlock: true },
  methods: { required: 1, available: ["email", "sms", "totp"], smsCountries: [] },
  securityQuestions: { numberToRegister: 3, numberToReset: 3, custom: [] },
  registration: { requireOnSignIn: true, reconfirmDays: 180, skipsAllowed: 3 },
  notifications: { notifyUserOnReset: true, notifyAdminsOnAdminReset: true },
  helpdesk: { url: null, email: null },
  passwordPolicy: {
    minLength: 15,
    maxLength: 256,
    requiredCharacterClasses: 0,
    bannedWords: [],
    blockCommonPasswords: true,
    historyCount: 0,
    expiry: { days: null, notifyDaysBefore: 14 },
  },
  challenges: { codeTtlMinutes: 10 },
  lockout: { signInThreshold: 10, signInLockSeconds: 60, resetFailuresToBlock: 5, resetBlockHours: 24 },
  signInPages: [],
  adminPolicy: { enabled: true },
};
