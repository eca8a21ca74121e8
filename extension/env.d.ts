/// <reference types="vite/client" />

interface ImportMetaEnv {
  /** Baked in at build time (`npm start` sets it to the local worker); the options page and managed storage override it. */
  readonly WXT_OPENSSPR_WORKER_URL?: string;
}
