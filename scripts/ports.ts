import { createServer } from "node:net";

/**
 * Refuses to start when a port the command needs is taken (most often by an earlier `npm start` still
 * running), with one line that says which port and what to do, before anything is started.
 */
export async function assertPortFree(port: number, what: string, envVar: string): Promise<void> {
  const inUse = await new Promise<boolean>((resolve) => {
    const server = createServer();
    server.once("error", (e: NodeJS.ErrnoException) => resolve(e.code === "EADDRINUSE" || e.code === "EACCES"));
    server.listen(port, "127.0.0.1", () => server.close(() => resolve(false)));
  });
  if (inUse) {
    throw new Error(
      `port ${port} (${what}) is already in use on 127.0.0.1. Another \`npm start\` or \`npm run worker\` may still be running: stop it, or pick another port with ${envVar}=<port>.`,
    );
  }
}

/** A port nobody listens on right now (the OS picks it), so parallel runs and `npm start` don't collide. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() => (typeof address === "object" && address ? resolve(address.port) : reject(new Error("no port"))));
    });
  });
}
