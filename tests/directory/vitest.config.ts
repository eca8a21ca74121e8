import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";

/**
 * Tests against real directory servers (slapd, Samba AD DC) started by tests/directory/support
 * (`npm run test:directory`). Files run one after another: each starts its own servers and the
 * machine is small.
 */
export default defineConfig({
  test: {
    name: "directory",
    root: fileURLToPath(new URL("../..", import.meta.url)),
    include: ["tests/directory/**/*.test.ts"],
    environment: "node",
    globalSetup: ["tests/directory/support/run-dir.global.ts"],
    fileParallelism: false,
    testTimeout: 60_000,
    hookTimeout: 120_000,
  },
});
