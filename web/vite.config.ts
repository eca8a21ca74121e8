import preact from "@preact/preset-vite";
import { fileURLToPath } from "node:url";
import { defineConfig } from "vite";

/**
 * The pages the worker serves (worker/src/routes/pages.ts): one entry per page, built into dist/web,
 * which wrangler.toml's `[assets]` binds. Shared chunks land in /assets/. No inline script or style
 * in the output: the pages' CSP allows only files of the origin.
 */
export default defineConfig({
  root: fileURLToPath(new URL(".", import.meta.url)),
  base: "/",
  plugins: [preact()],
  logLevel: "warn",
  build: {
    outDir: fileURLToPath(new URL("../dist/web", import.meta.url)),
    emptyOutDir: true,
    // No data: URLs for small files (the CSP's img-src is 'self' only) and no inline module-preload polyfill.
    assetsInlineLimit: 0,
    modulePreload: { polyfill: false },
    rollupOptions: {
      input: {
        admin: fileURLToPath(new URL("admin/index.html", import.meta.url)),
        reset: fileURLToPath(new URL("reset/index.html", import.meta.url)),
        "change-password": fileURLToPath(new URL("change-password/index.html", import.meta.url)),
      },
      onwarn(warning, warn) {
        if (warning.code === "INVALID_ANNOTATION" && warning.id?.includes("node_modules/zod")) return;
        warn(warning);
      },
    },
  },
});
