/** Secrets (`wrangler secret put`) and test-only bindings, which `wrangler types` cannot see in wrangler.toml. */
declare namespace Cloudflare {
  interface Env {
    /** Enables POST /v1/setup until a global admin exists. */
    SETUP_TOKEN?: string;
    /** Server key: encrypts TOTP seeds and keys lockout fingerprints. At least 32 characters. */
    SECRET_KEY?: string;
    /** Only in the vitest pool: the migrations to apply. */
    TEST_MIGRATIONS?: import("cloudflare:test").D1Migration[];
  }
}

declare namespace Cloudflare {
  interface GlobalProps {
    mainModule: typeof import("./index.js");
  }
}
