import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";

/**
 * Chromium with the built extension against a real worker (`npm run test:e2e`). Its own config, not a
 * project of the root one, so `npm test` stays fast and needs no browser.
 */
export default defineConfig({
  test: {
    name: "e2e",
    root: fileURLToPath(new URL("../..", import.meta.url)),
    include: ["tests/e2e/**/*.test.ts"],
    environment: "node",
    globalSetup: ["tests/e2e/support/build-extension.ts"],
    // One browser and one worker per file; files run one after another to keep the machine calm.
    fileParallelism: false,
    testTimeout: 90_000,
    hookTimeout: 90_000,
  },
});
