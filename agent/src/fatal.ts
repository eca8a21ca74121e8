/**
 * A condition the agent cannot run past (wrong config, refused credential, unreachable directory at
 * start). main.ts prints its message as one line and exits non-zero: an admin reads a sentence, never
 * a stack trace.
 */
export class AgentFatalError extends Error {
  override readonly name = "AgentFatalError";
}

export const fatalLine = (message: string) => `OpenSSPR agent: ${message}`;

/** The short cause of a network or TLS failure (`ECONNREFUSED`, `CERT_HAS_EXPIRED`…), for one-line messages. */
export function causeOf(error: unknown): string {
  let current: unknown = error;
  for (let depth = 0; depth < 4 && current instanceof Error; depth++) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === "string") return code;
    current = current.cause;
  }
  return error instanceof Error ? error.message.split("\n")[0]! : String(error);
}
