/**
 * The same Argon2 build for code that runs in Node (the demo seed, via `#argon2-wasm` in package.json):
 * Node cannot import a `.wasm` file as a compiled module the way wrangler and the vitest pool do.
 */
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";

export default new WebAssembly.Module(readFileSync(createRequire(import.meta.url).resolve("@phi-ag/argon2/argon2.wasm")));
