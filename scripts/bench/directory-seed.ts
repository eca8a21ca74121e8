/**
 * A synthetic directory of `size` users for the item-5 bench (issue 13), as INSERT statements for
 * a local D1 (scripts/bench/directory-load.ts): users with groups and roles (a few admins), recovery methods
 * shaped like the worker's own rows (registered, partly registered, unregistered), sign-in lockouts and
 * reset blocks for some, and a year of audit rows in time order (so `seq` grows with `at`, as in a
 * real log). Deterministic: the same size gives the same directory, so runs compare.
 * One password hash serves every user: hashing 100,000 times would take the KDF's cost 100,000 times.
 */
import { searchFold } from "../../shared/username.js";
import { hashPassword, KDF_PROFILES } from "../../worker/src/crypto/password-hash.js";
import { emailHint, phoneHint } from "../../worker/src/methods/hints.js";

const DAY_MS = 86_400_000;
const STATEMENT_BYTES = 90_000;
const FIRST = ["Ada", "Ben", "Chloé", "Dmitri", "Emma", "Farid", "Grace", "Hiro", "Inès", "Jonas", "Kara", "Liam", "Mei", "Noah", "Olga", "Pablo", "Quinn", "Rosa", "Sven", "Tara", "Umar", "Vera", "Wen", "Ximena", "Yusuf", "Zoë"];
const LAST = ["Anderson", "Berg", "Castillo", "Dubois", "Eriksson", "Fischer", "García", "Hansen", "Ivanova", "Jensen", "Kowalski", "Larsen", "Müller", "Nakamura", "Okafor", "Petrov", "Quispe", "Rossi", "Schmidt", "Tanaka", "Uddin", "Vargas", "Wilson", "Xu", "Yamamoto", "Zhang", "Johnson", "Peterson", "Nilsson", "Davidson"];
/** Every RARE_EVERY-th user has this surname: the "matches a few" search. */
export const RARE_SURNAME = "Quennell";
const RARE_EVERY = 5000;
const GROUPS = [["sales"], ["engineering"], ["support"], ["finance"], ["engineering", "oncall"], ["hr"], ["sales", "emea"], ["it"]];

/** What the bench searches and filters for; the counts are those of the seeded directory. */
export const DIRECTORY_QUERIES = { fewSubstring: "quennel", manySubstring: "son", shortSubstring: "xu", group: "engineering", role: "global_admin", auditUserId: "usr_dir_000000" } as const;

export interface DirectorySeed {
  /** INSERT statements, in chunks of a few MB. */
  chunks: string[][];
  users: number;
  methods: number;
  auditRows: number;
  /** Usernames with an active email method, not blocked: for POST /v1/resets. */
  resettable: string[];
  /** The year the audit rows cover. */
  since: number;
  until: number;
}

const q = (value: string | number | null) => (value === null ? "null" : typeof value === "number" ? String(value) : `'${value.replace(/'/g, "''")}'`);
const pad = (i: number) => String(i).padStart(6, "0");

/** A small deterministic PRNG (mulberry32), so a directory of a given size is the same every run. */
function prng(seed: number) {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Rows go out as multi-row INSERTs, in chunks of a bounded number of bytes (one D1 batch each). */
class SqlChunks {
  private chunks: string[][] = [];
  private current: string[] = [];
  private bytes = 0;
  constructor(private readonly maxBytes: number) {}

  /** D1 refuses statements over 100 KB (SQLITE_TOOBIG): each INSERT stays under STATEMENT_BYTES. */
  insert(head: string, rows: string[]): void {
    let batch: string[] = [];
    let size = 0;
    const emit = () => {
      if (batch.length === 0) return;
      const statement = `insert into ${head} values ${batch.join(",")}`;
      this.current.push(statement);
      this.bytes += statement.length;
      batch = [];
      size = 0;
      if (this.bytes >= this.maxBytes) this.flush();
    };
    for (const row of rows) {
      if (size + row.length > STATEMENT_BYTES) emit();
      batch.push(row);
      size += row.length + 1;
    }
    emit();
  }

  flush(): void {
    if (this.current.length > 0) this.chunks.push(this.current);
    this.current = [];
    this.bytes = 0;
  }

  done(): string[][] {
    this.flush();
    return this.chunks;
  }
}

export function directorySeedSql(size: number, now: number, maxBytes = 8_000_000): DirectorySeed {
  const random = prng(size);
  const since = now - 365 * DAY_MS;
  const at = () => since + Math.floor(random() * 365 * DAY_MS);
  const hash = hashPassword("bench-directory-Passw0rd!", KDF_PROFILES.default);
  const users: string[] = [];
  const methods: string[] = [];
  const lockouts: string[] = [];
  const audit: { at: number; row: string }[] = [];
  const resettable: string[] = [];
  const event = (when: number, type: string, subject: string, outcome: string, detail: object, actor: string | null = subject) =>
    audit.push({ at: when, row: `(${when}, ${q(type)}, ${q(actor)}, ${q(subject)}, ${q(`203.0.113.${(when >>> 8) % 250}`)}, ${q(outcome)}, ${q(JSON.stringify(detail))})` });

  for (let i = 0; i < size; i++) {
    const id = `usr_dir_${pad(i)}`;
    const first = FIRST[i % FIRST.length]!;
    const last = i % RARE_EVERY === 7 ? RARE_SURNAME : LAST[Math.floor(i / FIRST.length) % LAST.length]!;
    const displayName = `${first} ${last}`;
    const username = searchFold(`${first}.${last}.${pad(i)}@corp.example`.normalize("NFKD").replace(/\p{M}/gu, ""));
    const roles = i % 5000 === 0 ? ["global_admin"] : i % 5000 === 2500 ? ["password_admin"] : ["user"];
    const admin = roles[0] !== "user";
    const groups = GROUPS[i % GROUPS.length]!;
    const created = at();
    const disabled = i % 200 === 3;
    // 60% registered, 20% partly (only security questions, which never suffice alone; admins: one of
    // their two gates), 20% unregistered (some with an email still pending).
    const state = i % 10 < 6 ? "registered" : i % 10 < 8 ? "partial" : "unregistered";
    const blocked = i % 250 === 11 ? now + 3_600_000 : null;
    users.push(
      `(${q(id)}, ${q(username)}, ${q(displayName)}, ${q(searchFold(displayName))}, ${q(username)}, ${q(JSON.stringify(roles))}, ${q(JSON.stringify(groups))}, ${disabled ? 1 : 0}, 0, ${q(hash)}, '[]', ${created}, ${created}, ${i % 3 === 0 ? null : created + DAY_MS}, ${state === "registered" ? created : "null"}, ${state === "unregistered" ? i % 3 : 0}, ${blocked ?? "null"})`,
    );
    const method = (type: string, status: string, target: string | null, hint: string, secret: string | null, when: number) => {
      const mid = `mth_dir_${pad(i)}_${type}`;
      methods.push(`(${q(mid)}, ${q(id)}, ${q(type)}, ${q(status)}, ${q(target)}, ${q(hint)}, null, ${q(secret)}, null, ${when}, ${status === "active" ? when : "null"})`);
      event(when, "method.added", id, "success", { methodId: mid, methodType: type });
      if (status === "active" && type !== "security_questions") event(when + 60_000, "method.verified", id, "success", { methodId: mid, methodType: type });
    };
    const email = `${username.split("@")[0]}@mail.example`;
    const phone = `+1555${pad(i)}0`.slice(0, 12);
    if (state === "registered") {
      method("email", "active", email, emailHint(email), null, created + 1000);
      if (admin || i % 3 === 0) method("totp", "active", null, "Authenticator app", `v1:${Buffer.from(`${id}-seed-sealed-aes-gcm`).toString("base64")}`, created + 2000);
      else if (i % 3 === 1) method("sms", "active", phone, phoneHint(phone), null, created + 2000);
      if (!disabled && !blocked) resettable.push(username);
    } else if (state === "partial") {
      if (admin) method("email", "active", email, emailHint(email), null, created + 1000);
      else method("security_questions", "active", null, "3 questions", JSON.stringify(["first-concert", "first-car", "first-teacher"].map((questionId) => ({ questionId, hash }))), created + 1000);
    } else if (i % 2 === 0) method("email", "pending", email, emailHint(email), null, created + 1000);

    // Sign-ins across the year, and resets for some: the funnel the reset report counts.
    for (let s = 0; s < 2; s++) event(at(), "session.created", id, "success", {});
    if (i % 7 === 5) {
      const locked = now + (i % 14 === 5 ? 900_000 : -DAY_MS);
      lockouts.push(`(${q(username)}, 3, 1, ${locked}, '[]', 3, ${now - 60_000})`);
      event(now - 60_000, "session.locked", id, "failure", {});
    }
    if (state === "registered" && i % 3 !== 2) {
      const t = at();
      const type = admin || i % 3 === 0 ? "totp" : "email";
      event(t, "reset.started", id, "success", { available: true, resetId: `rst_dir_${pad(i)}` }, null);
      event(t + 5_000, "reset.challenge_sent", id, "success", { methodType: type }, null);
      if (i % 5 === 0) event(t + 30_000, "reset.verify_failed", id, "failure", { methodType: type, reason: "invalid_code" }, null);
      event(t + 60_000, "reset.verified", id, "success", { methodType: type }, null);
      if (i % 4 !== 0) event(t + 90_000, "reset.completed", id, "success", {}, null);
    } else if (state !== "registered" && i % 4 === 1) {
      event(at(), "reset.started", id, "failure", { available: false, reason: "not_registered" }, null);
    }
    if (blocked) event(now - 600_000, "reset.blocked", id, "failure", { reason: "verify_failures" }, null);
  }
  audit.sort((a, b) => a.at - b.at);

  const writer = new SqlChunks(maxBytes);
  writer.insert(
    "users (id, username, display_name, display_name_folded, email, roles, groups, disabled, must_change_password, password_hash, password_history, password_changed_at, created_at, last_sign_in_at, registration_confirmed_at, registration_skips, reset_blocked_until)",
    users,
  );
  writer.insert("recovery_methods (id, user_id, type, status, target, hint, label, secret, last_used_step, created_at, verified_at)", methods);
  writer.insert("sign_in_lockouts (username, failures, lock_count, locked_until, recent_wrong, consecutive_failures, updated_at)", lockouts);
  writer.insert(
    "audit_events (at, type, actor_id, subject_id, ip, outcome, detail)",
    audit.map((a) => a.row),
  );
  return { chunks: writer.done(), users: size, methods: methods.length, auditRows: audit.length, resettable, since, until: now };
}
