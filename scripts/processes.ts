/**
 * The long-running dev commands' children (maildev, wrangler dev and its workerd, a wxt build), stopped
 * together: on SIGINT/SIGTERM to the command alone or to its whole process group, and when one of them
 * dies on its own.
 *
 * Each child runs detached, in a process group of its own, so the terminal's Ctrl-C reaches only the
 * command, which then stops the children in order and waits for them; a group kill (`kill(-pid)`) takes
 * each child's own children (workerd under wrangler) too. npm forwards a signal to its direct child
 * only, so package.json runs these scripts with `exec` (no shell in between).
 */
import { spawn } from "node:child_process";
import type { ChildProcess, SpawnOptions } from "node:child_process";

/** How long a child gets to stop after SIGTERM before SIGKILL. */
const STOP_GRACE_MS = 5_000;
/** Lines of a child's own output kept to say why it died. */
const TAIL_LINES = 15;

interface Child {
  name: string;
  process: ChildProcess;
  exited: Promise<void>;
  tail: string[];
  /** Set once this module asked it to stop: its exit is then expected. */
  stopping: boolean;
}

const children = new Set<Child>();
let stopping: Promise<void> | null = null;
/** Set by `exitWhenAChildDies`; until then a death is the starting code's to report. */
let onDeath: ((child: Child, why: string) => void) | null = null;

function keepTail(child: Child, chunk: string) {
  child.tail.push(...chunk.split("\n").filter((l) => l.trim()));
  if (child.tail.length > TAIL_LINES) child.tail.splice(0, child.tail.length - TAIL_LINES);
}

/** Starts a supervised child in its own process group; its output is kept, not shown. */
export function spawnChild(name: string, command: string, args: string[], options: SpawnOptions = {}): ChildProcess {
  // Start-up code still running after a signal must not leave a new child behind.
  if (stopping) throw new Error(`not starting ${name}: stopping`);
  const proc = spawn(command, args, { stdio: ["ignore", "pipe", "pipe"], ...options, detached: true });
  const child: Child = { name, process: proc, tail: [], stopping: false, exited: Promise.resolve() };
  child.exited = new Promise((resolve) =>
    proc.once("exit", (code, signal) => {
      children.delete(child);
      if (!child.stopping && !stopping) onDeath?.(child, signal ? `killed by ${signal}` : `exit code ${code}`);
      resolve();
    }),
  );
  for (const stream of [proc.stdout, proc.stderr]) {
    stream?.setEncoding("utf8");
    stream?.on("data", (chunk: string) => keepTail(child, chunk));
  }
  children.add(child);
  return proc;
}

function signalGroup(proc: ChildProcess, signal: NodeJS.Signals) {
  try {
    process.kill(-proc.pid!, signal);
  } catch {
    // the group is already gone
  }
}

/** Stops one child's whole process group: SIGTERM, then SIGKILL after the grace period. */
export async function stopChild(proc: ChildProcess): Promise<void> {
  const child = [...children].find((c) => c.process === proc);
  if (!child) return;
  child.stopping = true;
  signalGroup(proc, "SIGTERM");
  const timer = setTimeout(() => signalGroup(proc, "SIGKILL"), STOP_GRACE_MS);
  await child.exited;
  clearTimeout(timer);
  // workerd may outlive wrangler by a moment; whatever is left of the group goes now.
  signalGroup(proc, "SIGKILL");
}

/** Stops every supervised child, newest first (the worker before the inbox it sends to). */
function stopAll(): Promise<void> {
  stopping ??= (async () => {
    for (let newest = [...children].pop(); newest; newest = [...children].pop()) await stopChild(newest.process);
  })();
  return stopping;
}

const stopAndExit = (code: number) => void stopAll().then(() => process.exit(code));

/**
 * Makes the command stop everything it started and exit 0 on SIGINT/SIGTERM/SIGHUP, from the first
 * line on (a signal during start-up stops what has started so far). A second signal while stopping
 * changes nothing: the grace period bounds the wait.
 */
export function stopOnSignals(commandName: string): void {
  for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"] as const) {
    process.on(signal, () => {
      if (!stopping) console.log(`\nStopping ${commandName}…`);
      stopAndExit(0);
    });
  }
}

/** Once everything is up: a child that dies takes the rest down, with a line naming it and why. */
export function exitWhenAChildDies(commandName: string): void {
  onDeath = (child, why) => {
    console.error(`${commandName}: ${child.name} stopped unexpectedly (${why}); stopping the rest.`);
    if (child.tail.length) console.error(child.tail.join("\n"));
    stopAndExit(1);
  };
}

/** Ends the command after stopping its children, with a one-line reason (no stack trace). */
export async function failAndExit(commandName: string, error: unknown): Promise<never> {
  // Start-up cut short by a signal: the stop was asked for, not a failure to report.
  if (stopping) {
    await stopping;
    process.exit(0);
  }
  console.error(`${commandName}: ${error instanceof Error ? error.message : String(error)}`);
  await stopAll();
  process.exit(1);
}
