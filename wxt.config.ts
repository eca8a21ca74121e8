import preact from "@preact/preset-vite";
import { readFileSync } from "node:fs";
import { defineConfig } from "wxt";
import { isSignInPagePattern } from "./shared/policy/match-pattern.js";

/**
 * The public key fixes the unpacked extension's ID (chrome-extension://<id>), which the worker's
 * ALLOWED_ORIGINS names in development. The Chrome Web Store refuses a manifest with a `key`, so the
 * store packages (`wxt zip --mode store`) leave it out; the store then assigns the production ID.
 */
const devIdentity = JSON.parse(readFileSync(new URL("./extension/dev-identity.json", import.meta.url), "utf8")) as {
  key: string;
  id: string;
};

/** Origins Firefox may be asked for at run time: its extension origin is random per install, so CORS alone can't work there. */
const FIREFOX_WORKER_ORIGINS = ["https://*/*", "http://127.0.0.1/*", "http://localhost/*"];

/**
 * Sign-in pages are the policy's, known only at run time, so any site may be *asked* for — and only
 * the policy's pages ever are, on the options page, one click by the user (spec §5). Nothing is
 * granted at install.
 */
const SIGNIN_PAGE_ORIGINS = ["https://*/*", "http://*/*"];

/**
 * For an organisation's own build (force-installed by policy): its sign-in pages as required host
 * permissions, which Chrome grants to a force-installed extension without asking anyone. Comma- or
 * space-separated match patterns, e.g. WXT_OPENSSPR_SIGNIN_PAGES="https://login.contoso.com/*".
 */
function bakedSignInPages(): string[] {
  const raw = process.env.WXT_OPENSSPR_SIGNIN_PAGES ?? "";
  const patterns = raw.split(/[\s,]+/).filter(Boolean);
  // Never a pattern for every website: that would bake in access to every password the user types.
  const bad = patterns.filter((p) => !isSignInPagePattern(p));
  if (bad.length) throw new Error(`WXT_OPENSSPR_SIGNIN_PAGES has invalid match patterns, or ones that match every website: ${bad.join(" ")}`);
  return patterns;
}

/** Fails the build early on a mistyped baked-in worker URL rather than shipping a broken default. */
function checkBakedWorkerUrl(): void {
  const url = process.env.WXT_OPENSSPR_WORKER_URL;
  if (!url) return;
  if (!/^https?:\/\/[^/]+/.test(url)) throw new Error(`WXT_OPENSSPR_WORKER_URL must be an http(s) URL, not "${url}"`);
}

export default defineConfig({
  srcDir: "extension",
  publicDir: "extension/public",
  imports: false,
  vite: () => ({
    plugins: [preact()],
    build: {
      // The popup carries the shared common-password list (~0.5 MB) on purpose: live feedback works offline.
      chunkSizeWarningLimit: 800,
      rollupOptions: {
        onwarn(warning, warn) {
          // zod's sources carry comments Rollup can't place; harmless, and not ours to fix.
          if (warning.code === "INVALID_ANNOTATION" && warning.id?.includes("node_modules/zod")) return;
          warn(warning);
        },
      },
    },
  }),
  // AMO reviewers rebuild from the sources zip: the extension, what it imports, and the build config only.
  zip: {
    excludeSources: ["worker/**", "tests/**", "test-results/**", "bench/**", "scripts/**", "drizzle.config.ts", "wrangler.toml", "vitest.config.ts"],
  },
  manifest: ({ browser, manifestVersion, mode }) => {
    checkBakedWorkerUrl();
    const chromium = browser !== "firefox";
    const signInPages = bakedSignInPages();
    // Built-in pages stay granted for good: they must come with the worker their passwords go to.
    if (signInPages.length && !process.env.WXT_OPENSSPR_WORKER_URL) throw new Error("WXT_OPENSSPR_SIGNIN_PAGES needs WXT_OPENSSPR_WORKER_URL: built-in sign-in pages belong to a built-in worker");
    const optionalHosts = [...new Set([...(chromium ? [] : FIREFOX_WORKER_ORIGINS), ...SIGNIN_PAGE_ORIGINS])];
    return {
      name: "OpenSSPR",
      description: "__MSG_extDescription__",
      version: "0.1.0",
      default_locale: "en",
      // storage: the worker URL, the reset in progress, the sign-in session (memory only). scripting: the
      // sign-in content script, registered at run time for the granted sign-in pages only. No host
      // permission at install: the worker answers this extension's origin with CORS (spec §1).
      permissions: ["storage", "scripting", ...(manifestVersion === 2 ? signInPages : [])],
      ...(manifestVersion === 3 && signInPages.length ? { host_permissions: signInPages } : {}),
      ...(chromium ? { storage: { managed_schema: "managed_schema.json" } } : {}),
      ...(chromium && mode !== "store" ? { key: devIdentity.key } : {}),
      ...(manifestVersion === 2 ? { optional_permissions: optionalHosts } : { optional_host_permissions: optionalHosts }),
      ...(!chromium
        ? { browser_specific_settings: { gecko: { id: "extension@opensspr", strict_min_version: "115.0" } } }
        : {}),
    };
  },
});
