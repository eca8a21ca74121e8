import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

/**
 * One folder for the whole directory test run, so every test file shares one Samba template
 * (provisioned by the first file that starts a DC) instead of provisioning its own.
 */
export default function setup(): () => void {
  const dir = mkdtempSync(join(tmpdir(), "opensspr-directory-run-"));
  process.env.OPENSSPR_DIRECTORY_RUN_DIR = dir;
  return () => rmSync(dir, { recursive: true, force: true });
}
