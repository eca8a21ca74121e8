import { fieldKind, IDENTIFIER_KINDS, PASSWORD_KINDS, type FieldKind } from "./fields.js";
import {
  CHANGE, CONTACT, F_NEW, NEWSLETTER, NEXT, norm, OTP, PASSWORD_WORD, PAY, RESET, SAVE, SEARCH, SIGNIN, SIGNUP, wordBits,
} from "./lexicon.js";
import type { Classification, FieldSnapshot, GroupSnapshot, PageSnapshot } from "./types.js";

/**
 * Pure: a snapshot in, a decision out. Each group (form, or form-less container) gets a score
 * from weighted evidence (autocomplete tokens, field kinds, words near the form); the best group
 * above a threshold wins. Weights were tuned on tests/detection/pages; see the README.
 */

const SIGNIN_MIN = 1;
const USERNAME_ONLY_MIN = 3;

/** The word categories found in each place, and how much each place says about the form's purpose. */
interface Texts { primary: number; other: number; heading: number; attrs: number; title: number; text: number }
const PURPOSE = { primary: 3, other: 1, heading: 2, attrs: 1.5, title: 1, text: 0.5 };
/** For "what else could this be" the group's loose text is left out: a sign-in form links to "Forgot password?". */
const OTHER_PURPOSE = { ...PURPOSE, title: 0.5, text: 0 };

function evidence(t: Texts, category: number, weights: Record<keyof Texts, number>): number {
  let sum = 0;
  for (const key of Object.keys(weights) as (keyof Texts)[]) {
    // A change-password form names both the change and the password ("Set a new password").
    const found = category === CHANGE ? (t[key] & (CHANGE | PASSWORD_WORD)) === (CHANGE | PASSWORD_WORD) : t[key] & category;
    if (found) sum += weights[key];
  }
  return sum;
}

function textsOf(g: GroupSnapshot, title: string): Texts {
  const submits = g.buttons.filter((b) => b.submit);
  // Without submit buttons (form-less markup), every button may be the primary one.
  const primary = submits.length ? submits : g.buttons;
  const bits = (text: string) => wordBits(norm(text));
  return {
    primary: bits(primary.map((b) => b.text).join(" | ")),
    other: bits(g.buttons.filter((b) => !primary.includes(b)).map((b) => b.text).join(" | ")),
    heading: bits(g.heading),
    attrs: bits(g.attrs),
    title: bits(title),
    text: bits(g.text),
  };
}

interface Field { index: number; f: FieldSnapshot; kind: FieldKind; usable: boolean }

export function classify(page: PageSnapshot): Classification {
  const fields: Field[] = page.fields.map((f, index) => ({
    index, f, kind: fieldKind(f),
    // Honeypots are hidden, off-screen or out of the tab order; opt-outs are the site's wish.
    usable: f.visible && !f.ignored && f.tabIndex >= 0,
  }));
  let signin: Classification | null = null;
  let usernameOnly: Classification | null = null;
  for (const [group, g] of page.groups.entries()) {
    if (g.ignored) continue;
    const own = fields.filter((x) => x.f.group === group);
    const texts = textsOf(g, page.title);
    const s = scoreSignIn(own, texts);
    if (s && s.score >= SIGNIN_MIN && (!signin || s.score > signin.score)) signin = { kind: "signin", group, ...s };
    const u = scoreUsernameOnly(own, texts);
    if (u && u.score >= USERNAME_ONLY_MIN && (!usernameOnly || u.score > usernameOnly.score)) {
      usernameOnly = { kind: "signin-username-only", group, ...u };
    }
  }
  return signin ?? usernameOnly ?? { kind: "none", group: null, username: null, password: null, score: 0 };
}

type Pick = { username: number | null; password: number | null; score: number };

function scoreSignIn(own: Field[], t: Texts): Pick | null {
  const passwords = own.filter((x) => x.usable && !x.f.disabled && PASSWORD_KINDS.has(x.kind));
  const pw = passwords.find((x) => x.kind === "current") ?? passwords.find((x) => x.kind === "password" || x.kind === "pin");
  if (!pw) return null;
  const user = pickUsername(own, pw);
  const fresh = passwords.filter((x) => x.kind === "new" || x.kind === "confirm").length;

  let score = 1;
  // The shape of a sign-in form: one identifier, then one password that is not a new one. A "new
  // email" before a current password is a settings form instead.
  if (user && passwords.length === 1 && (pw.kind === "password" || pw.kind === "current")) {
    score += wordBits(norm(`${user.f.label} ${user.f.placeholder} ${user.f.name} ${user.f.ariaLabel}`)) & F_NEW ? -2 : 1;
  }
  if (pw.f.autocomplete.includes("current-password")) score += 2;
  score -= 3 * fresh + 2 * (passwords.length - 1 - fresh);
  score += evidence(t, SIGNIN, PURPOSE) - evidence(t, SIGNUP, PURPOSE);
  for (const c of [CHANGE, PAY, SAVE, CONTACT]) score -= evidence(t, c, OTHER_PURPOSE);
  if ((t.text | t.other) & RESET) score += 1; // "Forgot password?" beside the form
  for (const x of own) {
    if (!x.usable || x === pw || x === user || passwords.includes(x)) continue;
    if (x.kind === "name" || x.kind === "address" || x.kind === "card" || x.kind === "textarea") score -= 2.5;
    else if (x.kind === "select") score -= 0.5;
    else if (x.kind !== "search" && x.kind !== "captcha" && x.kind !== "hidden") score -= 1.5;
  }
  if (!user) {
    // A password with nobody to sign in: a second-step PIN, or a "confirm with your password" box.
    if (pw.kind === "pin") return null;
    score -= 2;
  } else if (user.f.autocomplete.includes("username")) score += 1;
  return { username: user?.index ?? null, password: pw.index, score };
}

// "name": forums call the login field `name` or `lname`; the weakest choice, taken when nothing else precedes the password.
const IDENTIFIER_WEIGHT: Partial<Record<FieldKind, number>> = { user: 3, email: 2.5, tel: 1, text: 1, name: 0.5 };

/** The best identifier before the password; a read-only or hidden one on a password-only step. */
function pickUsername(own: Field[], pw: Field): Field | null {
  let best: Field | null = null;
  let bestScore = 0;
  for (const x of own) {
    if (x.index >= pw.index) break;
    const hiddenUser = x.kind === "hidden" && /user|login|email|ident/i.test(`${x.f.name} ${x.f.id}`);
    if (!hiddenUser && (!x.usable || !(IDENTIFIER_KINDS.has(x.kind) || x.kind === "name"))) continue;
    let s = hiddenUser ? 0.5 : (IDENTIFIER_WEIGHT[x.kind] ?? 0);
    if (x.f.autocomplete.includes("username")) s += 2;
    if (s >= bestScore) { best = x; bestScore = s; } // ties: the field closest to the password
  }
  return best;
}

function scoreUsernameOnly(own: Field[], t: Texts): Pick | null {
  const visible = own.filter((x) => x.usable && x.kind !== "select" && x.kind !== "hidden");
  const [u] = visible;
  if (visible.length !== 1 || !u || !IDENTIFIER_KINDS.has(u.kind)) return null;
  // Identifier-first pages often keep the password input in the DOM, hidden, for the next step.
  const hiddenPassword = own.some((x) => !x.usable && x.f.type === "password");
  let score = evidence(t, SIGNIN, PURPOSE);
  if (score === 0) return null; // an identifier-first page says "sign in" somewhere (spec §5)
  if ((t.primary | t.other) & NEXT) score += 0.5;
  if (u.f.autocomplete.includes("username")) score += 2;
  score += u.kind === "user" ? 1 : u.kind === "email" ? 0.5 : 0;
  if (hiddenPassword) score += 2;
  score -= evidence(t, SIGNUP, PURPOSE);
  for (const c of [NEWSLETTER, RESET, SEARCH, PAY, OTP, CONTACT, SAVE]) score -= evidence(t, c, OTHER_PURPOSE);
  return { username: u.index, password: null, score };
}
