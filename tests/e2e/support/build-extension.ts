import { execFileSync } from "node:child_process";
import { fileURLToPath } from "node:url";

const ROOT = fileURLToPath(new URL("../../..", import.meta.url));

/**
 * Builds the Chrome extension once per run, with no worker URL baked in: the test configures it
 * through the options page, as a user would.
 */
export default function buildExtension(): void {
  const env = { ...process.env };
  delete env.WXT_OPENSSPR_WORKER_URL;
  execFileSync("npx", ["wxt", "build", "--mode", "e2e"], { cwd: ROOT, env, stdio: ["ignore", "ignore", "inherit"] });
}

/** Where `wxt build --mode e2e` writes (WXT suffixes non-production modes), kept apart from `npm start`'s build. */
export const EXTENSION_DIR = `${ROOT}.output/chrome-mv3-e2e`;
