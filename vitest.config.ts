import { cloudflareTest, readD1Migrations } from "@cloudflare/vitest-pool-workers";
import { mkdirSync } from "node:fs";
import { defineConfig } from "vitest/config";
import { WxtVitest } from "wxt/testing/vitest-plugin";

// wrangler.toml's `[assets]` folder must exist for the pool to start; the pages themselves are the
// e2e tests' (scripts/build-web.ts builds them), so an empty folder is enough here.
mkdirSync("dist/web", { recursive: true });

export default defineConfig(async () => ({
  test: {
    projects: [
      {
        test: {
          name: "unit",
          include: ["tests/unit/**/*.test.ts", "tests/unit/**/*.test.tsx"],
          environment: "node",
        },
      },
      {
        plugins: [
          cloudflareTest({
            main: "./worker/src/index.ts",
            wrangler: { configPath: "./wrangler.toml" },
            miniflare: {
              bindings: {
                TEST_MIGRATIONS: await readD1Migrations("worker/migrations"),
                ENVIRONMENT: "development",
                SETUP_TOKEN: "dev-setup-token", // the development default (15 characters: shorter than a session token)
                KDF_PROFILE: "test",
                SECRET_KEY: "test-secret-key-test-secret-key-0123456789",
              },
            },
          }),
        ],
        test: {
          name: "worker",
          include: ["tests/worker/**/*.test.ts"],
          setupFiles: ["./tests/worker/apply-migrations.ts"],
          globalSetup: ["./tests/worker/smtp-catcher.global.ts"],
        },
      },
      {
        // Extension components in happy-dom with WXT's fake browser; `.spec` so the node "unit" project skips them.
        plugins: [WxtVitest()],
        esbuild: { jsx: "automatic", jsxImportSource: "preact" },
        test: {
          name: "extension",
          include: ["tests/unit/extension/**/*.spec.ts", "tests/unit/extension/**/*.spec.tsx"],
          environment: "happy-dom",
          globals: true,
          setupFiles: ["./tests/unit/extension/setup.ts"],
        },
      },
      {
        // The worker's web pages (web/) in happy-dom; `.spec` so the node "unit" project skips them.
        esbuild: { jsx: "automatic", jsxImportSource: "preact" },
        test: {
          name: "web",
          include: ["tests/unit/web/**/*.spec.ts", "tests/unit/web/**/*.spec.tsx"],
          environment: "happy-dom",
        },
      },
    ],
  },
}));
