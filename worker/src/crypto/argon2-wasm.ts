// wrangler bundles this as a compiled module (its CompiledWasm rule), as does the vitest pool.
import argon2Module from "@phi-ag/argon2/argon2.wasm";

export default argon2Module;
