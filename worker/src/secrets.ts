/** The server key. Without it the worker cannot key lockout fingerprints or seal TOTP seeds: fail closed. */
export function secretKey(env: Env): string {
  const key = env.SECRET_KEY;
  if (!key || key.length < 32) throw new Error("SECRET_KEY is not configured (at least 32 characters).");
  return key;
}
