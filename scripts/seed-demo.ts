/**
 * SQL for the demo organisation, printed to stdout. Idempotent (`insert or ignore` with fixed ids), so
 * `npm start` on an existing state folder keeps what the person trying the demo has changed.
 */
import { searchFold } from "../shared/username.js";
import { DEFAULT_POLICY } from "../shared/policy/defaults.js";
import { hashPassword, KDF_PROFILES } from "../worker/src/crypto/password-hash.js";
import { emailHint } from "../worker/src/methods/hints.js";

export interface DemoAccount {
  id: string;
  username: string;
  displayName: string;
  password: string;
  roles: string[];
  groups: string[];
  /** An email recovery method already registered and verified, so the reset flow can be tried at once. */
  registeredEmail?: string;
}

export const DEMO_ACCOUNTS: DemoAccount[] = [
  { id: "usr_demo_admin", username: "admin@demo.example", displayName: "Ada Admin", password: "staple-orbit-lantern-42", roles: ["global_admin"], groups: ["it"] },
  { id: "usr_demo_helpdesk", username: "helpdesk@demo.example", displayName: "Hugo Helpdesk", password: "meadow-quartz-violin-17", roles: ["password_admin"], groups: ["it"] },
  { id: "usr_demo_jane", username: "jane@demo.example", displayName: "Jane Doe", password: "harbor-pepper-canvas-88", roles: ["user"], groups: ["sales"], registeredEmail: "jane@demo.example" },
  { id: "usr_demo_sam", username: "sam@demo.example", displayName: "Sam Lee", password: "glacier-tulip-rocket-64", roles: ["user"], groups: ["engineering"] },
  { id: "usr_demo_maria", username: "maria@demo.example", displayName: "Maria Garcia", password: "willow-copper-sonnet-31", roles: ["user"], groups: ["sales"] },
];

export const DEMO_HELPDESK_EMAIL = "it-help@demo.example";

const q = (value: string | number | null) => (value === null ? "null" : typeof value === "number" ? String(value) : `'${value.replace(/'/g, "''")}'`);

export function demoSeedSql(port: number, now = Date.now()): string {
  const policy = {
    ...DEFAULT_POLICY,
    signInPages: [`http://127.0.0.1:${port}/demo/*`, `http://localhost:${port}/demo/*`],
    // So a stuck user in the demo sees where help would come from.
    helpdesk: { url: null, email: DEMO_HELPDESK_EMAIL },
  };
  const lines = [
    `insert or ignore into policies (version, settings, updated_at, updated_by) values (1, ${q(JSON.stringify(policy))}, ${now}, null);`,
  ];
  for (const a of DEMO_ACCOUNTS) {
    const hash = hashPassword(a.password, KDF_PROFILES.default);
    lines.push(
      `insert or ignore into users (id, username, display_name, display_name_folded, email, roles, groups, password_hash, password_history, password_changed_at, created_at, registration_confirmed_at) values (${q(a.id)}, ${q(a.username)}, ${q(a.displayName)}, ${q(searchFold(a.displayName))}, ${q(a.username)}, ${q(JSON.stringify(a.roles))}, ${q(JSON.stringify(a.groups))}, ${q(hash)}, '[]', ${now}, ${now}, ${a.registeredEmail ? now : "null"});`,
    );
    if (a.registeredEmail) {
      lines.push(
        `insert or ignore into recovery_methods (id, user_id, type, status, target, hint, created_at, verified_at) values (${q(`mth_${a.id}_email`)}, ${q(a.id)}, 'email', 'active', ${q(a.registeredEmail)}, ${q(emailHint(a.registeredEmail))}, ${now}, ${now});`,
      );
    }
  }
  return lines.join("\n") + "\n";
}

if (process.argv[1]?.endsWith("seed-demo.ts")) {
  process.stdout.write(demoSeedSql(Number(process.argv[2] ?? 8787)));
}
