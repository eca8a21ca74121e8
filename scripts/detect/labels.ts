import { createHash } from "node:crypto";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

/**
 * The labelled page set: each page under tests/detection/pages carries its own label,
 *   <meta name="opensspr-label" content='{"kind": "signin", "username": "#email", "password": "#password"}'>
 * with selectors in the detection's convention (`host >>> inner` inside open shadow roots).
 */

export type Kind = "signin" | "signin-username-only" | "none";
export interface FieldPair { username: string | null; password: string | null }
/** `alternatives`: other sign-in forms on the same page (a header form beside the main one), each as right. */
export interface Label extends FieldPair { kind: Kind; alternatives?: FieldPair[] }
export interface LabelledPage { file: string; path: string; label: Label }

export const PAGES_DIR = fileURLToPath(new URL("../../tests/detection/pages/", import.meta.url));
/** Real pages saved from public sites (tests/detection/real/manifest.json says where each came from). */
export const REAL_PAGES_DIR = fileURLToPath(new URL("../../tests/detection/real/", import.meta.url));

/** About 30% of the real pages, chosen by a hash of the file name, are held out from tuning. */
export const heldOut = (file: string) => createHash("sha256").update(file).digest()[0]! < 77;

/** Marks the manifest entries of import-captures.ts: import-formasaurus.ts keeps them (some come from its corpus too). */
export const CAPTURES_VIA = "scripts/detect/import-captures.ts";

export interface RealPage { file: string; kind: string; lang: string; split: "tuning" | "held-out" }

export function realManifest(dir = REAL_PAGES_DIR): Map<string, RealPage> {
  const list = JSON.parse(readFileSync(join(dir, "manifest.json"), "utf8")) as RealPage[];
  return new Map(list.map((p) => [p.file, p]));
}

export function readLabel(html: string, file = "page"): Label {
  const meta = /<meta\s+name="opensspr-label"\s+content='([^']*)'/.exec(html);
  if (!meta) throw new Error(`${file}: no <meta name="opensspr-label"> label`);
  const label = JSON.parse(meta[1]!) as Label;
  if (!["signin", "signin-username-only", "none"].includes(label.kind)) throw new Error(`${file}: bad kind ${label.kind}`);
  return { kind: label.kind, username: label.username ?? null, password: label.password ?? null, ...(label.alternatives ? { alternatives: label.alternatives } : {}) };
}

export function labelledPages(dir = PAGES_DIR): LabelledPage[] {
  return readdirSync(dir)
    .filter((f) => f.endsWith(".html"))
    .sort()
    .map((file) => {
      const path = join(dir, file);
      return { file, path, label: readLabel(readFileSync(path, "utf8"), file) };
    });
}

export interface Outcome {
  page: string;
  /** Groups this page is reported in, e.g. "set:real", "lang:pl", "kind:sign-up", "split:held-out". */
  tags?: string[];
  expected: Kind;
  kind: Kind;
  usernameOk: boolean;
  passwordOk: boolean;
  ms: number;
}

export interface Summary {
  pages: number;
  positives: number;
  negatives: number;
  truePositives: number;
  falsePositives: number;
  falseNegatives: number;
  precision: number;
  recall: number;
  /** Of the sign-in pages found, the share where both fields (or the expected null) are the labelled ones. */
  fieldAccuracy: number;
  /** Pages whose kind (signin / signin-username-only / none) is exactly the label's. */
  kindAccuracy: number;
  medianMs: number;
  p95Ms: number;
  failures: string[];
}

const positive = (k: Kind) => k !== "none";
const round = (n: number) => Math.round(n * 1000) / 1000;

export function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  if (!sorted.length) return 0;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

/** Positive = any sign-in kind; a found sign-in page counts for field accuracy only when both fields are right. */
export function summarise(outcomes: Outcome[]): Summary {
  const tp = outcomes.filter((o) => positive(o.expected) && positive(o.kind));
  const fp = outcomes.filter((o) => !positive(o.expected) && positive(o.kind));
  const fn = outcomes.filter((o) => positive(o.expected) && !positive(o.kind));
  const fieldsRight = tp.filter((o) => o.usernameOk && o.passwordOk);
  const failures = outcomes
    .filter((o) => o.kind !== o.expected || (positive(o.kind) && !(o.usernameOk && o.passwordOk)))
    .map((o) => `${o.page}: expected ${o.expected}, got ${o.kind}${o.kind === o.expected ? " with wrong fields" : ""}`);
  const ms = outcomes.map((o) => o.ms);
  return {
    pages: outcomes.length,
    positives: outcomes.filter((o) => positive(o.expected)).length,
    negatives: outcomes.filter((o) => !positive(o.expected)).length,
    truePositives: tp.length,
    falsePositives: fp.length,
    falseNegatives: fn.length,
    precision: round(tp.length / Math.max(1, tp.length + fp.length)),
    recall: round(tp.length / Math.max(1, tp.length + fn.length)),
    fieldAccuracy: round(fieldsRight.length / Math.max(1, tp.length)),
    kindAccuracy: round(outcomes.filter((o) => o.kind === o.expected).length / Math.max(1, outcomes.length)),
    medianMs: round(percentile(ms, 50)),
    p95Ms: round(percentile(ms, 95)),
    failures,
  };
}

/** The summary of each tag's pages (per set, language, kind and split), for the report. */
export function summariseByTag(outcomes: Outcome[]): Record<string, Omit<Summary, "failures" | "p95Ms">> {
  const tags = [...new Set(outcomes.flatMap((o) => o.tags ?? []))].sort();
  return Object.fromEntries(tags.map((tag) => {
    const { failures: _f, p95Ms: _p, ...s } = summarise(outcomes.filter((o) => o.tags?.includes(tag)));
    return [tag, s];
  }));
}
