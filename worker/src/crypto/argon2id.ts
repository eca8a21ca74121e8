import argon2Module from "#argon2-wasm";

/** Argon2id cost: memory in KiB, passes, lanes. */
export interface KdfParams {
  m: number;
  t: number;
  p: number;
}

/** The C exports of the reference implementation in @phi-ag/argon2's build (argon2.h). */
interface Argon2Exports {
  memory: WebAssembly.Memory;
  _initialize(): void;
  malloc(size: number): number;
  free(ptr: number): void;
  argon2_hash(t: number, m: number, p: number, pwd: number, pwdlen: number, salt: number, saltlen: number, hash: number, hashlen: number, encoded: number, encodedlen: number, type: number, version: number): number;
  argon2_error_message(code: number): number;
}

const ARGON2ID = 2;
const VERSION_13 = 0x13;

// One instance per isolate, made on first use: its heap grows once to m KiB and malloc reuses it, so
// memory stays flat however many hashes run. A hash runs to completion inside wasm (no await), so
// concurrent requests take turns on it instead of each holding its own 19 MiB.
let instance: Argon2Exports | undefined;

function argon2(): Argon2Exports {
  if (!instance) {
    // A compiled module (wrangler's CompiledWasm import), so no code is generated from bytes at run time.
    instance = new WebAssembly.Instance(argon2Module).exports as unknown as Argon2Exports;
    instance._initialize();
  }
  return instance;
}

/** The instance's linear memory (wasm memory never shrinks): what the isolate holds for hashing. */
export function wasmMemoryBytes(): number {
  return argon2().memory.buffer.byteLength;
}

function errorMessage(wasm: Argon2Exports, code: number): string {
  const heap = new Uint8Array(wasm.memory.buffer);
  const start = wasm.argon2_error_message(code);
  let end = start;
  while (heap[end]) end++;
  return new TextDecoder().decode(heap.subarray(start, end));
}

/**
 * Raw Argon2id (RFC 9106, version 0x13), bytes in and bytes out. The package's own `hash(string)` is not
 * used: it passes the string's UTF-16 length as the UTF-8 byte count, so it hashes only a prefix of any
 * non-ASCII password ("é" and "ê" collide).
 */
export function argon2id(password: Uint8Array, salt: Uint8Array, params: KdfParams, hashLength: number): Uint8Array {
  const wasm = argon2();
  // malloc(0) may return 0, which argon2_hash reads as a missing password.
  const pwd = wasm.malloc(Math.max(password.length, 1));
  const saltPtr = wasm.malloc(salt.length);
  const out = wasm.malloc(hashLength);
  try {
    // Views are taken after the mallocs: a malloc that grows memory detaches the old buffer.
    new Uint8Array(wasm.memory.buffer).set(password, pwd);
    new Uint8Array(wasm.memory.buffer).set(salt, saltPtr);
    const code = wasm.argon2_hash(params.t, params.m, params.p, pwd, password.length, saltPtr, salt.length, out, hashLength, 0, 0, ARGON2ID, VERSION_13);
    if (code !== 0) throw new Error(`argon2id: ${errorMessage(wasm, code)}`);
    return new Uint8Array(wasm.memory.buffer).slice(out, out + hashLength);
  } finally {
    // The password's copy in the heap would outlive the request; zero it before giving the block back.
    new Uint8Array(wasm.memory.buffer).fill(0, pwd, pwd + password.length);
    wasm.free(pwd);
    wasm.free(saltPtr);
    wasm.free(out);
  }
}
