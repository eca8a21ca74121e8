// @types/node 20 does not declare Node's WebAssembly global; these are the parts the Argon2 binding
// (worker/src/crypto/argon2id.ts, run here by the demo seed) uses, as lib.dom declares them.
declare namespace WebAssembly {
  interface Module {}
  var Module: { prototype: Module; new (bytes: ArrayBufferView | ArrayBuffer): Module };
  interface Instance {
    readonly exports: Record<string, unknown>;
  }
  var Instance: { prototype: Instance; new (module: Module, importObject?: Record<string, unknown>): Instance };
  interface Memory {
    readonly buffer: ArrayBuffer;
  }
}
