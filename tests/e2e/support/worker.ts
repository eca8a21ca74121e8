import { createHash } from "node:crypto";
import { existsSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { freePort } from "../../../scripts/ports.js";
import { startWorker } from "../../../scripts/worker.js";
import { ROOT, wranglerRun } from "../../../scripts/wrangler.js";

export interface TestWorker {
  url: string;
  stop(): Promise<void>;
}

/**
 * A state folder with every migration applied, made once for each set of migrations and wrangler
 * version: applying them is a wrangler run of about 5 s, and each e2e file starts its own worker.
 */
async function migratedState(): Promise<string> {
  const migrations = join(ROOT, "worker", "migrations");
  const hash = createHash("sha256").update(readFileSync(join(ROOT, "node_modules", "wrangler", "package.json")));
  for (const name of readdirSync(migrations).filter((n) => n.endsWith(".sql")).sort()) hash.update(name).update(readFileSync(join(migrations, name)));
  const dir = join(tmpdir(), `opensspr-e2e-migrated-${hash.digest("hex").slice(0, 16)}`);
  if (existsSync(dir)) return dir;
  const building = mkdtempSync(join(tmpdir(), "opensspr-e2e-migrating-"));
  await wranglerRun(["d1", "migrations", "apply", "DB", "--local", "--persist-to", building]);
  try {
    renameSync(building, dir);
  } catch {
    // Another run made it meanwhile: theirs is the same.
    rmSync(building, { recursive: true, force: true });
  }
  return dir;
}

/**
 * The real worker (`npm run worker`'s code) on a free port with a fresh state folder and the demo
 * org. Its ALLOWED_ORIGINS includes the dev extension ID from extension/dev-identity.json.
 */
export async function startTestWorker(): Promise<TestWorker> {
  const stateDir = mkdtempSync(join(tmpdir(), "opensspr-e2e-"));
  const port = await freePort();
  const worker = await startWorker({ port, stateDir, seed: "demo", setupToken: "e2e-setup-token", vars: {}, log: () => {}, migratedState: await migratedState() });
  return {
    url: worker.url,
    async stop() {
      await worker.stop();
      rmSync(stateDir, { recursive: true, force: true });
    },
  };
}
