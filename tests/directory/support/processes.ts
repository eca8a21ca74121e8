import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

/**
 * Daemons and temp folders the directory harnesses own. Each daemon runs in the foreground in its own
 * process group, so stopping it (or this process exiting, even on a failed test) takes its children
 * down too and no server is left holding a port.
 */

const liveGroups = new Set<number>();
const liveDirs = new Set<string>();

function cleanUp(): void {
  for (const pgid of liveGroups) killGroup(pgid, "SIGKILL");
  for (const dir of liveDirs) rmSync(dir, { recursive: true, force: true });
}

process.once("exit", cleanUp);
// A signal skips "exit" handlers: clean up, then die of the same signal as if nobody had listened.
for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"] as const) {
  process.once(signal, () => {
    cleanUp();
    process.kill(process.pid, signal);
  });
}

function killGroup(pgid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pgid, signal);
  } catch {
    // already gone
  }
}

export function makeTempDir(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  liveDirs.add(dir);
  return dir;
}

export function removeTempDir(dir: string): void {
  rmSync(dir, { recursive: true, force: true });
  liveDirs.delete(dir);
}

export interface Daemon {
  readonly pid: number;
  /** Resolves when the process has exited (with its exit code, or null after a signal). */
  readonly exited: Promise<number | null>;
  hasExited(): boolean;
  /** The last few kilobytes of its stdout and stderr, for error messages. */
  output(): string;
  /** SIGTERM to the whole process group, SIGKILL after `graceMs`; resolves once the whole group is gone. */
  stop(graceMs?: number): Promise<void>;
}

const OUTPUT_LIMIT = 16_384;

export function startDaemon(command: string, args: string[], options: { cwd?: string; env?: NodeJS.ProcessEnv } = {}): Daemon {
  const child: ChildProcess = spawn(command, args, {
    cwd: options.cwd,
    env: options.env ?? process.env,
    detached: true,
    stdio: ["ignore", "pipe", "pipe"],
  });
  if (child.pid === undefined) throw new Error(`could not start ${command}`);
  const pid = child.pid;
  liveGroups.add(pid);
  let output = "";
  const collect = (chunk: Buffer) => {
    output = (output + chunk.toString("utf8")).slice(-OUTPUT_LIMIT);
  };
  child.stdout?.on("data", collect);
  child.stderr?.on("data", collect);
  let done = false;
  const exited = new Promise<number | null>((resolve) => {
    child.once("exit", (code) => {
      done = true;
      // Children of the leader may outlive it; the group goes with it.
      killGroup(pid, "SIGKILL");
      liveGroups.delete(pid);
      resolve(code);
    });
  });
  return {
    pid,
    exited,
    hasExited: () => done,
    output: () => output,
    async stop(graceMs = 5_000) {
      if (!done) {
        killGroup(pid, "SIGTERM");
        const timer = setTimeout(() => killGroup(pid, "SIGKILL"), graceMs);
        await exited;
        clearTimeout(timer);
      }
      // The leader's exit SIGKILLed the rest of its group; wait until they are gone too.
      for (let waited = 0; groupAlive(pid) && waited < 5_000; waited += 20) await new Promise((resolve) => setTimeout(resolve, 20));
    },
  };
}

/** True while any process of the group is still alive (after stop, it must be false). */
export function groupAlive(pgid: number): boolean {
  try {
    process.kill(-pgid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Polls `probe` until it resolves true; fails early when the daemon dies, late after `timeoutMs`. */
export async function waitUntilReady(daemon: Daemon, probe: () => Promise<boolean>, what: string, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (daemon.hasExited()) throw new Error(`${what} exited before it was ready:\n${daemon.output()}`);
    if (await probe()) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`${what} not ready after ${timeoutMs} ms:\n${daemon.output()}`);
}

/** Runs a setup command to completion; throws with its output when it fails. */
export async function run(command: string, args: string[], options: { input?: string; cwd?: string; env?: NodeJS.ProcessEnv } = {}): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: options.cwd, env: options.env ?? process.env, stdio: ["pipe", "pipe", "pipe"] });
    let output = "";
    child.stdout.on("data", (chunk: Buffer) => (output += chunk.toString("utf8")));
    child.stderr.on("data", (chunk: Buffer) => (output += chunk.toString("utf8")));
    child.once("error", reject);
    child.once("exit", (code) => {
      if (code === 0) resolve(output);
      else reject(new Error(`${command} ${args.join(" ")} failed (${code}):\n${output.slice(-4_000)}`));
    });
    // A command that exits before we close its input (openssl, on a busy machine) makes end() fail with
    // EPIPE, an unhandled error that would kill this process: its exit code already says how it went.
    child.stdin.on("error", () => {});
    child.stdin.end(options.input ?? "");
  });
}
