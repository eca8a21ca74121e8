import { encodeBase32LowerCaseNoPadding } from "@oslojs/encoding";

/** CSPRNG bytes; Workers' crypto.getRandomValues is the platform CSPRNG. */
export function randomBytes(length: number): Uint8Array {
  const bytes = new Uint8Array(length);
  crypto.getRandomValues(bytes);
  return bytes;
}

/** An opaque id: a prefix that says what it names, then 80 random bits in base32. */
export function newId(prefix: string): string {
  return `${prefix}_${encodeBase32LowerCaseNoPadding(randomBytes(10))}`;
}

/** A bearer token: 256 random bits (the contract asks for at least 128), URL-safe. */
export function newToken(): string {
  return encodeBase32LowerCaseNoPadding(randomBytes(32));
}

/** A uniformly random integer in [0, bound) without modulo bias. */
export function randomInt(bound: number): number {
  const limit = Math.floor(0x1_0000_0000 / bound) * bound;
  const word = new Uint32Array(1);
  for (;;) {
    crypto.getRandomValues(word);
    if (word[0]! < limit) return word[0]! % bound;
  }
}
