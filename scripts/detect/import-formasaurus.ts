/// <reference lib="dom" />
/**
 * tsx scripts/detect/import-formasaurus.ts <formasaurus-checkout> [commit]
 *
 * Builds tests/detection/real/ from the Formasaurus corpus (github.com/TeamHG-Memex/Formasaurus,
 * formasaurus/data: about 950 pages saved from real sites, every <form> annotated by hand with its
 * type and each field's role). Each page is parsed by Chromium with scripts off, then reduced to
 * static markup: scripts, frames, stylesheets, media and event handlers go; forms, fields, labels,
 * buttons, text and inline styles stay. The annotated sign-in fields get `data-label` attributes
 * (the label's selectors); language comes from `<html lang>`, else from the page's text (franc).
 */
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { CAPTURES_VIA, heldOut } from "./labels.js";
import { loadStripped, offlineBrowser } from "./strip-page.js";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { franc } from "franc-min";

const [checkout, commit = "a5ffcec391be3abb0c5136aad2ccefe65f7b5a5f"] = process.argv.slice(2);
if (!checkout) throw new Error("usage: tsx scripts/detect/import-formasaurus.ts <formasaurus-checkout> [commit]");
const DATA = join(checkout, "formasaurus/data");
const OUT = fileURLToPath(new URL("../../tests/detection/real/", import.meta.url));
const MAX_NEGATIVES_EN = 50;
const PER_SITE = 2; // Formasaurus often saved several pages of one site: keep the set varied
const MAX_BYTES = { positive: 200_000, negative: 100_000 }; // keep the repository small

interface Entry { url: string; forms: string[]; visible_html_fields: Record<string, string>[] }
interface LoginForm { form: number; users: string[]; password: string | null }
interface Cleaned { html: string; text: string; found: { i: number; password: boolean }[]; revealed: boolean; passwordsOutsideLabelled: number; unannotatedPasswords: number }

const FRANC: Record<string, string> = {
  eng: "en", fra: "fr", deu: "de", rus: "ru", por: "pt", spa: "es", ita: "it", jpn: "ja", cmn: "zh", pol: "pl",
  nld: "nl", swe: "sv", dan: "da", nob: "no", fin: "fi", ces: "cs", slk: "sk", hun: "hu", tur: "tr", ukr: "uk",
  arb: "ar", pes: "fa", kor: "ko", ind: "id", vie: "vi", ron: "ro", bul: "bg", ell: "el", heb: "he", tha: "th",
  lit: "lt", hrv: "hr", srp: "sr", glg: "gl", cat: "ca", zlm: "ms", hin: "hi",
};

function loginForms(e: Entry): LoginForm[] {
  return e.forms.flatMap((t, i) => {
    if (t !== "l") return [];
    const fields = Object.entries(e.visible_html_fields[i] ?? {});
    const named = (...roles: string[]) => fields.filter(([, role]) => roles.includes(role)).map(([n]) => n);
    const users = named("us", "ue");
    return [{ form: i, users: users.length ? users : named("e1"), password: named("p1")[0] ?? null }];
  });
}

const NEGATIVE_KIND: Record<string, string> = {
  r: "sign-up", p: "reset-password", s: "other-form:search", c: "other-form:contact", m: "other-form:newsletter",
  b: "other-form:checkout", o: "other-form:other",
};

/** The spec's kinds: which negative, or which hard positive, a page is. */
function kindOf(e: Entry, url: string, login: { password: boolean }[]): string {
  const others = e.forms.filter((t) => t !== "l" && t !== "X" && t !== "-");
  if (login.length) {
    if (!login[0]!.password) return "identifier-first";
    if (others.includes("r")) return "signin-beside-signup";
    if (others.includes("m")) return "signin-beside-newsletter";
    if (!/log|sign|auth|account|session|user|member|connex|anmeld|entrar|login/i.test(new URL(url).pathname + new URL(url).search)) {
      return "signin-in-content-page"; // a header or sidebar sign-in on a page about something else
    }
    return others.length ? "signin-beside-other-forms" : "signin";
  }
  const annotated = e.forms.filter((t) => t !== "X" && t !== "-");
  if (!annotated.length) return "no-form";
  for (const t of ["r", "p", "b", "m", "c", "s", "o"]) if (annotated.includes(t)) return NEGATIVE_KIND[t]!;
  return "other-form:other";
}

/** Runs in the page (Chromium, scripts off): reduce to static markup and mark the labelled fields. */
function clean(args: { login: LoginForm[]; types: string[] }): Cleaned {
  const doc = document;
  // Attributes no detector reads (the opt-outs and field hints are kept).
  const DROP = /^(data-(?!label$|lpignore$|1p-ignore$|bwignore$|form-type$).*|width|height|rel|alt|target|itemprop|itemscope|itemtype|aria-describedby|tabindex-ignored)$/;
  const FIELD = /^(input|select|textarea|button)$/;
  for (const el of Array.from(doc.querySelectorAll("*"))) {
    for (const a of Array.from(el.attributes)) {
      const n = a.name;
      if (n.startsWith("on") || n === "src" || n === "srcset" || n.startsWith("data-src") || n === "background" ||
        (n === "style" ? a.value.length > 400 : a.value.length > 160) || DROP.test(n) ||
        (n === "title" && !FIELD.test(el.localName))) el.removeAttribute(n);
    }
    if (el.hasAttribute("href")) el.setAttribute("href", "#");
    // Without the site's stylesheets, classes only matter where detection reads them: forms and their containers.
    if (el.hasAttribute("class") && !FIELD.test(el.localName) && !el.querySelector("input,select,textarea,button")) el.removeAttribute("class");
  }
  // Smaller files, same detection: long option lists and runs of whitespace say nothing about a form's purpose.
  doc.querySelectorAll("select").forEach((sel) => Array.from(sel.options).slice(30).forEach((o) => o.remove()));
  const texts = doc.createTreeWalker(doc.body ?? doc, NodeFilter.SHOW_TEXT);
  while (texts.nextNode()) {
    const t = texts.currentNode as Text;
    if (!t.parentElement?.closest("pre,textarea")) t.data = t.data.replace(/\s+/g, " ");
  }
  // The label's fields: for each annotated sign-in form, its username and password inputs, by the
  // annotated names; where the annotation left a field out, by position (the identifier before the password).
  const forms = Array.from(doc.forms);
  const aligned = forms.length === args.types.length;
  const found: { i: number; password: boolean }[] = [];
  const labelled = new Set<Element>();
  const byName = (scope: ParentNode, name: string | null) =>
    name ? (Array.from(scope.querySelectorAll(`[name="${CSS.escape(name)}"]`)).find((x) => !labelled.has(x) && (x as HTMLInputElement).type !== "hidden") ?? null) : null;
  const IDENT = new Set(["text", "email", "tel", ""]);
  // As detection sees it: rendered, and not inside aria-hidden or inert markup.
  const visibleInput = (x: Element) => ((x as HTMLElement).checkVisibility?.() ?? true) && !x.closest("[aria-hidden=true],[inert]");
  args.login.forEach((f, i) => {
    const form = aligned ? forms[f.form]! : null;
    let p: Element | null = null;
    let u: Element | null = null;
    // Of several annotated identifiers (company and user name), the one nearest before the password.
    const nearest = (scope: ParentNode, pw: Element | null) => {
      const els = f.users.map((n) => byName(scope, n)).filter((x): x is Element => x !== null);
      const before = pw ? els.filter((x) => x.compareDocumentPosition(pw) & Node.DOCUMENT_POSITION_FOLLOWING) : els;
      return (pw ? before.sort((a, b) => (a.compareDocumentPosition(b) & Node.DOCUMENT_POSITION_FOLLOWING ? -1 : 1)).at(-1) : before[0]) ?? els[0] ?? null;
    };
    if (form) {
      p = byName(form, f.password) ?? form.querySelector("input[type=password]");
      const inputs = Array.from(form.querySelectorAll("input")).filter((x) => IDENT.has(x.getAttribute("type") ?? ""));
      const before = p ? inputs.filter((x) => x.compareDocumentPosition(p!) & Node.DOCUMENT_POSITION_FOLLOWING) : inputs;
      u = nearest(form, p) ?? (p || f.users.length ? (p ? before.at(-1) : before[0]) ?? null : null);
      // Without a password: an identifier-first step has one visible identifier; more (name, email, an
      // order number and a code) is a password-less login, which the spec leaves out.
      if (!p && inputs.filter(visibleInput).length !== 1) u = null;
    } else {
      for (const cand of f.password ? Array.from(doc.querySelectorAll(`input[name="${CSS.escape(f.password)}"]`)) : [null]) {
        if (cand && labelled.has(cand)) continue;
        const cu = nearest(cand ? ((cand as HTMLInputElement).form ?? doc) : doc, cand);
        if (cand && f.users.length && !cu) continue;
        p = cand; u = cu; break;
      }
    }
    if (!u) return; // OpenID-only, password-less, or a lone password: no username to check
    u.setAttribute("data-label", `username-${i}`); labelled.add(u);
    if (p) { p.setAttribute("data-label", `password-${i}`); labelled.add(p); }
    found.push({ i, password: !!p });
  });
  // A sign-in form the site shows on a click (a header dropdown, a modal): hidden by inline styles or
  // `hidden` as saved. Open it, as the user would before signing in, when no sign-in form is visible.
  let revealed = false;
  const labelledFields = Array.from(labelled);
  if (labelledFields.length && !labelledFields.some(visibleInput)) {
    for (let el: Element | null = labelledFields[0]!; el && el !== doc.body; el = el.parentElement) {
      const h = el as HTMLElement;
      if (h.hidden) h.hidden = false;
      if (h.getAttribute("aria-hidden") === "true") h.setAttribute("aria-hidden", "false");
      h.removeAttribute("inert");
      if (h.style.display === "none") h.style.removeProperty("display");
      if (h.style.visibility === "hidden") h.style.removeProperty("visibility");
      if (getComputedStyle(h).display === "none") h.style.display = "block";
    }
    // The form's own controls hidden one by one (a dropdown's inner rows) come back too.
    const scope = (labelledFields[0] as HTMLInputElement).form ?? labelledFields[0]!.parentElement!;
    scope.querySelectorAll<HTMLElement>("[hidden],[style*=none]").forEach((x) => {
      if (x.querySelector("input:not([type=hidden]),button") || /^(input|button)$/.test(x.localName)) {
        if ((x as HTMLInputElement).type !== "hidden") { x.hidden = false; x.style.removeProperty("display"); }
      }
    });
    revealed = labelledFields.some(visibleInput);
  }
  const allPasswords = Array.from(doc.querySelectorAll("input[type=password]"));
  return {
    html: `<!doctype html>\n${doc.documentElement.outerHTML}`,
    text: (doc.body?.innerText ?? "").slice(0, 4000),
    found,
    revealed,
    passwordsOutsideLabelled: allPasswords.filter((p) => !labelled.has(p)).length,
    unannotatedPasswords: allPasswords.filter((p) => {
      const form = (p as HTMLInputElement).form;
      return !form || (aligned ? ["X", "-"].includes(args.types[forms.indexOf(form)]!) : !labelled.has(p));
    }).length,
  };
}

async function main(): Promise<void> {
  const index = JSON.parse(readFileSync(join(DATA, "index.json"), "utf8")) as Record<string, Entry>;
  const { browser, context } = await offlineBrowser();
  let page = await context.newPage();
  // Pages from other sources (import-captures.ts) stay; this corpus's own are rebuilt.
  const previous = existsSync(join(OUT, "manifest.json")) ? (JSON.parse(readFileSync(join(OUT, "manifest.json"), "utf8")) as { file: string; via?: string }[]) : [];
  const others = previous.filter((e) => e.via === CAPTURES_VIA);
  for (const e of previous) if (!others.includes(e)) rmSync(join(OUT, e.file), { force: true });
  mkdirSync(OUT, { recursive: true });
  const manifest: Record<string, unknown>[] = [];
  let englishNegatives = 0;
  const perSite = new Map<string, number>();
  for (const [path, e] of Object.entries(index).sort()) {
    const raw = readFileSync(join(DATA, path));
    const html = raw.toString("utf8").replace(/<meta[^>]+http-equiv=["']?refresh[^>]*>/gi, "");
    const login = loginForms(e);
    await loadStripped(page, html);
    const c = await page.evaluate(clean, { login, types: e.forms }).catch((err: Error) => (console.error(`skip ${path}: ${err.message}`), null));
    if (!c) {
      await page.close().catch(() => undefined);
      page = await context.newPage(); // a crashed or navigated page stays unusable
      continue;
    }
    // Skip pages whose label would be a guess: an unannotated form with a password, or fields not found.
    if (c.unannotatedPasswords > 0) { if (login.length) console.error(`skip ${path}: unannotated password (${e.forms.join("")})`); continue; }
    if (login.length && !c.found.length) { console.error(`skip ${path}: sign-in fields not found`); continue; }
    const kind = c.revealed ? "signin-opened-from-hidden" : kindOf(e, e.url, c.found);
    if (!login.length && c.passwordsOutsideLabelled > 0 && kind !== "sign-up" && kind !== "reset-password") continue;
    const langAttr = /<html[^>]*\blang="([a-zA-Z]{2,3})/i.exec(c.html)?.[1]?.toLowerCase();
    const guessed = FRANC[franc(c.text, { minLength: 30 })];
    const lang = guessed ?? langAttr ?? "und";
    if (!login.length && lang === "en" && ++englishNegatives > MAX_NEGATIVES_EN) continue;
    const site = path.replace(/^html\//, "").replace(/-\d+\.html$/, "");
    if ((perSite.get(site) ?? 0) >= PER_SITE || c.html.length > MAX_BYTES[c.found.length ? "positive" : "negative"]) continue;
    perSite.set(site, (perSite.get(site) ?? 0) + 1);
    const file = path.replace(/^html\//, "").replace(/[^a-zA-Z0-9.-]/g, "_");
    const pair = (f: { i: number; password: boolean }) => ({ username: `[data-label=username-${f.i}]`, password: f.password ? `[data-label=password-${f.i}]` : null });
    const [first, ...rest] = c.found;
    const expected = first === undefined
      ? { kind: "none", username: null, password: null }
      : { kind: first.password ? "signin" : "signin-username-only", ...pair(first) };
    const alternatives = rest.map(pair);
    const label = { ...expected, ...(alternatives.length ? { alternatives } : {}) };
    const meta = `<meta name="opensspr-label" content='${JSON.stringify(label).replace(/'/g, "&#39;")}'>`;
    writeFileSync(join(OUT, file), c.html.replace(/<head[^>]*>/i, (head) => `${head}<meta charset="utf-8">${meta}`));
    manifest.push({
      file, kind, lang, split: heldOut(file) ? "held-out" : "tuning",
      source: { repo: "TeamHG-Memex/Formasaurus", path: `formasaurus/data/${path}`, commit, url: e.url },
      forms: e.forms.join(""),
    });
  }
  await browser.close();
  writeFileSync(join(OUT, "manifest.json"), `${JSON.stringify([...manifest, ...others], null, 1)}\n`);
  console.log(`${manifest.length} pages from Formasaurus, ${others.length} kept from import-captures.ts`);
}

await main();
