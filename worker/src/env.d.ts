/** Secrets (`wrangler secret put`) and test-only bindings, which `wrangler types` cannot see in wrangler.toml. */
declare namespace Cloudflare {
  interface Env {
    /** Enables POST /v1/setup until a global admin exists. */
    SETUP_TOKEN?: string;
    /** Server key: encrypts TOTP seeds and keys lockout fingerprints. At least 32 characters. */
    SECRET_KEY?: string;
    /** The built web pages (wrangler.toml `[assets]`); absent where they were not built. */
    ASSETS?: Fetcher;
    /** Only in the vitest pool: the migrations to apply. */
    TEST_MIGRATIONS?: import("cloudflare:test").D1Migration[];
  }
}

declare namespace Cloudflare {
  interface GlobalProps {
    mainModule: typeof import("./index.js");
  }
}

/** Message delivery (docs/configuration.md): vars in wrangler.toml, credentials as secrets. */
declare namespace Cloudflare {
  interface Env {
    EMAIL_FROM?: string;
    SMTP_HOST?: string;
    SMTP_PORT?: string;
    SMTP_SECURITY?: string;
    SMTP_USERNAME?: string;
    SMTP_PASSWORD?: string;
    EMAIL_API_URL?: string;
    EMAIL_API_KEY?: string;
    SMS_TRANSPORT?: string;
    TWILIO_ACCOUNT_SID?: string;
    TWILIO_AUTH_TOKEN?: string;
    TWILIO_FROM?: string;
    TWILIO_API_BASE?: string;
  }
}

/** wrangler's CompiledWasm rule (and the vitest pool's): importing a `.wasm` file gives a compiled module. */
declare module "*.wasm" {
  const module: WebAssembly.Module;
  export default module;
}
