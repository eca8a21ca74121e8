import { execSync, spawn } from "node:child_process";
import type { ChildProcess } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { createConnection, createServer } from "node:net";
import type { Server } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterEach, describe, expect, it } from "vitest";
import { freePort } from "../../scripts/ports.js";

/*
 * `npm start` as a person runs it in a terminal: its own process group (the terminal's foreground
 * group), stopped with Ctrl-C (SIGINT to the group) or SIGTERM to npm alone. Every process it started
 * inherits a marker in its environment, so the test finds any that is left, however it was detached.
 */

const ROOT = fileURLToPath(new URL("../..", import.meta.url));

/** Processes whose environment carries the marker (the command and everything it started). */
function processesMarked(marker: string): string[] {
  const found: string[] = [];
  for (const pid of readdirSync("/proc").filter((d) => /^\d+$/.test(d))) {
    try {
      if (readFileSync(`/proc/${pid}/environ`, "latin1").split("\0").includes(`OPENSSPR_TEST_MARKER=${marker}`)) {
        found.push(`${pid} ${readFileSync(`/proc/${pid}/cmdline`, "latin1").replaceAll("\0", " ").slice(0, 100)}`);
      }
    } catch {
      // the process ended while we looked
    }
  }
  return found;
}

const listening = (port: number) =>
  new Promise<boolean>((resolve) => {
    const socket = createConnection({ port, host: "127.0.0.1" });
    socket.once("connect", () => (socket.destroy(), resolve(true)));
    socket.once("error", () => resolve(false));
  });

async function waitUntil(what: string, ms: number, check: () => boolean | Promise<boolean>) {
  const deadline = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

interface Started {
  npm: ChildProcess;
  output: () => string;
  exited: Promise<number | null>;
  marker: string;
  ports: number[];
}

const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const cleanup of cleanups.splice(0)) cleanup();
});

async function npmStart(ports?: { worker: number; smtp: number; inbox: number }): Promise<Started> {
  const p = ports ?? { worker: await freePort(), smtp: await freePort(), inbox: await freePort() };
  const stateDir = mkdtempSync(join(tmpdir(), "opensspr-start-"));
  const marker = `${process.pid}-${Date.now()}`;
  let text = "";
  // detached: a new process group with npm at its head, as a terminal starts a foreground job.
  const npm = spawn("npm", ["start"], {
    cwd: ROOT,
    detached: true,
    stdio: ["ignore", "pipe", "pipe"],
    env: {
      ...process.env,
      OPENSSPR_TEST_MARKER: marker,
      OPENSSPR_PORT: String(p.worker),
      OPENSSPR_SMTP_PORT: String(p.smtp),
      OPENSSPR_INBOX_PORT: String(p.inbox),
      OPENSSPR_STATE_DIR: stateDir,
      OPENSSPR_EXTENSION_MODE: "start-test",
    },
  });
  for (const stream of [npm.stdout, npm.stderr]) stream.on("data", (chunk: Buffer) => (text += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => npm.once("exit", (code) => resolve(code)));
  cleanups.push(() => {
    for (const line of processesMarked(marker)) {
      try {
        process.kill(Number(line.split(" ")[0]), "SIGKILL");
      } catch {
        // gone
      }
    }
    rmSync(stateDir, { recursive: true, force: true });
  });
  return { npm, output: () => text, exited, marker, ports: [p.worker, p.smtp, p.inbox] };
}

async function expectAllGone(s: Started) {
  await waitUntil("every started process to end", 15_000, () => processesMarked(s.marker).length === 0);
  for (const port of s.ports) expect(await listening(port), `port ${port} still taken`).toBe(false);
}

describe("npm start", () => {
  it("stops everything it started on Ctrl-C (SIGINT to its process group)", async () => {
    const s = await npmStart();
    await waitUntil("the ready line", 120_000, () => s.output().includes("OpenSSPR worker ready on"));
    for (const port of s.ports) expect(await listening(port)).toBe(true);
    expect(processesMarked(s.marker).some((p) => p.includes("workerd"))).toBe(true);

    // The admin quick start it prints works as printed: one command changes the policy.
    const command = s.output().split("\n").map((line) => line.trim()).find((line) => line.startsWith("curl -s -X PATCH"));
    expect(command).toBeDefined();
    execSync(command!, { shell: "/bin/bash", stdio: "ignore" });
    const config = (await (await fetch(`http://127.0.0.1:${s.ports[0]}/v1/config`)).json()) as { methods: { required: number }; helpdesk: { email: string | null } };
    expect(config.methods.required).toBe(2);
    expect(config.helpdesk.email).toBe("it-help@demo.example");
    expect(s.output()).toContain("Helpdesk contact in the demo policy: it-help@demo.example");

    process.kill(-s.npm.pid!, "SIGINT");
    await expectAllGone(s);
    expect(await s.exited).toBe(0);
  });

  it("stops everything on SIGTERM sent to npm alone", async () => {
    const s = await npmStart();
    await waitUntil("the ready line", 120_000, () => s.output().includes("OpenSSPR worker ready on"));

    process.kill(s.npm.pid!, "SIGTERM");
    await expectAllGone(s);
  });

  it("stops everything when a signal arrives in the middle of start-up", async () => {
    const s = await npmStart();
    await waitUntil("the worker to be starting", 60_000, () => processesMarked(s.marker).some((p) => p.includes("wrangler")));

    process.kill(-s.npm.pid!, "SIGINT");
    await expectAllGone(s);
  });

  it("says in one line which port is taken, and starts nothing", async () => {
    const taken: Server = createServer();
    await new Promise<void>((resolve) => taken.listen(0, "127.0.0.1", resolve));
    cleanups.push(() => taken.close());
    const worker = (taken.address() as { port: number }).port;

    const s = await npmStart({ worker, smtp: await freePort(), inbox: await freePort() });
    expect(await s.exited).toBe(1);
    expect(s.output()).toContain(`port ${worker} (the worker) is already in use`);
    expect(s.output()).toContain("OPENSSPR_PORT");
    expect(s.output()).not.toMatch(/^\s+at /m);
    await expectAllGone({ ...s, ports: s.ports.slice(1) });
  });

  it("takes the rest down, saying which part died, when one of them stops unexpectedly", async () => {
    const s = await npmStart();
    await waitUntil("the ready line", 120_000, () => s.output().includes("OpenSSPR worker ready on"));
    const maildev = processesMarked(s.marker).find((p) => p.includes("maildev"));
    expect(maildev).toBeDefined();

    process.kill(Number(maildev!.split(" ")[0]), "SIGKILL");
    await expectAllGone(s);
    expect(await s.exited).toBe(1);
    expect(s.output()).toContain("the SMTP catcher (maildev) stopped unexpectedly (killed by SIGKILL)");
  });
});
