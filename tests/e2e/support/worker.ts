import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { freePort } from "../../../scripts/ports.js";
import { startWorker } from "../../../scripts/worker.js";

export interface TestWorker {
  url: string;
  stop(): Promise<void>;
}

/**
 * The real worker (`npm run worker`'s code) on a free port with a fresh state folder and the demo
 * org. Its ALLOWED_ORIGINS includes the dev extension ID from extension/dev-identity.json.
 */
export async function startTestWorker(): Promise<TestWorker> {
  const stateDir = mkdtempSync(join(tmpdir(), "opensspr-e2e-"));
  const port = await freePort();
  const worker = await startWorker({ port, stateDir, seed: "demo", setupToken: "e2e-setup-token", vars: {}, log: () => {} });
  return {
    url: worker.url,
    async stop() {
      await worker.stop();
      rmSync(stateDir, { recursive: true, force: true });
    },
  };
}
