/**
 * Builds the worker's web pages (web/ → dist/web) with Vite, unless nothing they are built from has
 * changed since the last build: the sources' fingerprint is kept next to the output.
 */
import { createHash } from "node:crypto";
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join, relative } from "node:path";
import { spawnChild } from "./processes.js";
import { ROOT } from "./wrangler.js";

const OUT = join(ROOT, "dist", "web");
/** Beside the output, not in it: everything in dist/web is uploaded as an asset. */
const STAMP = join(ROOT, "dist", ".web-sources");
/**
 * What the pages import: their own sources, the shared schemas, the extension's theme and UI parts,
 * and (the self-service pages) the extension's wizard, change-password screens, clients and strings.
 */
const SOURCES = ["web", "shared", "extension", "package-lock.json"];

function files(path: string): string[] {
  const full = join(ROOT, path);
  if (!existsSync(full)) return [];
  if (!statSync(full).isDirectory()) return [path];
  return readdirSync(full).flatMap((name) => files(join(path, name)));
}

function fingerprint(): string {
  const hash = createHash("sha256");
  for (const file of SOURCES.flatMap(files).sort()) {
    const s = statSync(join(ROOT, file));
    hash.update(`${relative(ROOT, join(ROOT, file))}\0${s.size}\0${s.mtimeMs}\n`);
  }
  return hash.digest("hex");
}

/** Resolves once dist/web is current; `built` says whether Vite had to run. */
export async function buildWeb(): Promise<{ built: boolean }> {
  const print = fingerprint();
  if (existsSync(STAMP) && readFileSync(STAMP, "utf8") === print) return { built: false };
  const child = spawnChild("the web pages build (vite build)", process.execPath, [join(ROOT, "node_modules/vite/bin/vite.js"), "build", "--config", "web/vite.config.ts"], { cwd: ROOT });
  const output: string[] = [];
  for (const stream of [child.stdout, child.stderr]) stream?.on("data", (chunk: Buffer | string) => output.push(String(chunk)));
  const code = await new Promise<number | null>((res) => child.once("exit", (c) => res(c)));
  if (code !== 0) throw new Error(`the web pages did not build (vite exit ${code}):\n${output.join("")}`);
  writeFileSync(STAMP, print);
  return { built: true };
}

if (process.argv[1]?.endsWith("build-web.ts")) {
  const { built } = await buildWeb();
  console.log(built ? `Web pages built into ${OUT}` : `Web pages in ${OUT} are up to date`);
}
