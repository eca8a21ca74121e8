import type { ChildProcess } from "node:child_process";
import { fileURLToPath } from "node:url";
import { spawnChild } from "./processes.js";

export const ROOT = fileURLToPath(new URL("..", import.meta.url));
const WRANGLER = fileURLToPath(new URL("../node_modules/wrangler/bin/wrangler.js", import.meta.url));

/** Wrangler kept offline and quiet (docs/dependencies.md): no metrics, no error reports, no prompts. */
export const WRANGLER_ENV = {
  ...process.env,
  CI: "true",
  WRANGLER_SEND_METRICS: "false",
  WRANGLER_SEND_ERROR_REPORTS: "false",
  CLOUDFLARE_CF_FETCH_ENABLED: "false",
  WRANGLER_HIDE_BANNER: "true",
  NO_UPDATE_NOTIFIER: "1",
};

/**
 * A wrangler command that runs to its end (migrations, a seed), supervised like the long-running ones
 * so that a signal during start-up stops it at once; its output is shown only if it fails.
 */
export async function wranglerRun(args: string[]): Promise<void> {
  const child = spawnChild(`wrangler ${args.slice(0, 2).join(" ")}`, process.execPath, [WRANGLER, ...args], { cwd: ROOT, env: WRANGLER_ENV });
  const output: string[] = [];
  for (const stream of [child.stdout, child.stderr]) stream?.on("data", (chunk: string) => output.push(chunk));
  const code = await new Promise<number | null>((res) => child.once("exit", (c) => res(c)));
  if (code !== 0) {
    process.stderr.write(output.join(""));
    throw new Error(`wrangler ${args[0]} ${args[1] ?? ""} failed (exit ${code})`);
  }
}

/** A long-running wrangler command, supervised (scripts/processes.ts) under `name`. */
export function wranglerSpawn(name: string, args: string[]): ChildProcess {
  return spawnChild(name, process.execPath, [WRANGLER, ...args], { cwd: ROOT, env: WRANGLER_ENV });
}
