/**
 * `npm run worker`: the worker alone on local workerd + D1, as the contract's last section describes.
 * Builds the web pages (reused when unchanged), applies migrations, seeds the demo org (OPENSSPR_SEED=demo), starts `wrangler dev`, prints the ready
 * line once /healthz answers, and stops cleanly on SIGINT/SIGTERM.
 */
import { cpSync, existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { buildWeb } from "./build-web.js";
import { DEMO_ACCOUNTS, DEMO_HELPDESK_EMAIL, demoSeedSql } from "./seed-demo.js";
import { assertPortFree } from "./ports.js";
import { exitWhenAChildDies, failAndExit, stopChild, stopOnSignals } from "./processes.js";
import { ROOT, wranglerRun, wranglerSpawn } from "./wrangler.js";

export interface WorkerOptions {
  port: number;
  stateDir: string;
  seed: "demo" | "none";
  setupToken: string;
  vars: Record<string, string>;
  log: (line: string) => void;
  /** A state folder with every migration applied, copied in place of applying them again (the e2e tests' many workers). */
  migratedState?: string;
}

export function optionsFromEnv(env = process.env): WorkerOptions {
  const seed = env.OPENSSPR_SEED ?? "demo";
  if (seed !== "demo" && seed !== "none") throw new Error(`OPENSSPR_SEED must be "demo" or "none", not "${seed}"`);
  return {
    port: Number(env.OPENSSPR_PORT ?? 8787),
    stateDir: resolve(ROOT, env.OPENSSPR_STATE_DIR ?? ".wrangler/state"),
    seed,
    setupToken: env.SETUP_TOKEN ?? "dev-setup-token",
    vars: {},
    log: (line) => console.log(line),
  };
}

/** The development build's fixed extension origin (its manifest carries a public key), if it exists. */
function devExtensionOrigins(): string[] {
  const file = join(ROOT, "extension", "dev-identity.json");
  if (!existsSync(file)) return [];
  const { id } = JSON.parse(readFileSync(file, "utf8")) as { id: string };
  return [`chrome-extension://${id}`];
}

/** Development-only values: the real ones are secrets set with `wrangler secret put`. */
function devVars(o: WorkerOptions): Record<string, string> {
  const extra = (process.env.OPENSSPR_EXTRA_ORIGINS ?? "").split(",").map((s) => s.trim()).filter(Boolean);
  return {
    ENVIRONMENT: "development",
    SETUP_TOKEN: o.setupToken,
    SECRET_KEY: "dev-only-secret-key-never-use-in-production",
    ALLOWED_ORIGINS: [...devExtensionOrigins(), ...extra].join(","),
    ...o.vars,
  };
}

export async function startWorker(o: WorkerOptions): Promise<{ url: string; stop: () => Promise<void> }> {
  await assertPortFree(o.port, "the worker", "OPENSSPR_PORT");
  mkdirSync(o.stateDir, { recursive: true });
  // wrangler dev serves dist/web as the pages' assets (wrangler.toml `[assets]`): it must exist first.
  await buildWeb();
  const persist = ["--local", "--persist-to", o.stateDir];
  if (o.migratedState) cpSync(o.migratedState, o.stateDir, { recursive: true });
  else await wranglerRun(["d1", "migrations", "apply", "DB", ...persist]);
  if (o.seed === "demo") {
    const file = join(o.stateDir, "demo-seed.sql");
    writeFileSync(file, demoSeedSql(o.port));
    await wranglerRun(["d1", "execute", "DB", ...persist, "--file", file]);
  }
  const vars = Object.entries(devVars(o)).flatMap(([k, v]) => ["--var", `${k}:${v}`]);
  const child = wranglerSpawn("the worker (wrangler dev)", ["dev", "--ip", "127.0.0.1", "--port", String(o.port), "--persist-to", o.stateDir, "--show-interactive-dev-session=false", ...vars]);
  const output: string[] = [];
  for (const stream of [child.stdout, child.stderr]) {
    stream?.setEncoding("utf8");
    stream?.on("data", (chunk: string) => output.push(chunk));
  }
  const url = `http://127.0.0.1:${o.port}`;
  const stop = () => stopChild(child);
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null || child.signalCode !== null) throw new Error(`wrangler dev exited (${child.exitCode ?? child.signalCode}):\n${output.join("")}`);
    try {
      const res = await fetch(`${url}/healthz`);
      if (res.ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`the worker did not answer /healthz within 60 s:\n${output.join("")}`);
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  return { url, stop };
}

export function printDemoAccounts(log: (line: string) => void, workerUrl: string): void {
  log("Demo accounts (development only):");
  for (const a of DEMO_ACCOUNTS) {
    const note = a.registeredEmail ? "email method registered" : "no recovery methods yet";
    log(`  ${a.username.padEnd(24)} ${a.password.padEnd(26)} ${a.roles.join(",").padEnd(15)} ${note}`);
  }
  log(`Helpdesk contact in the demo policy: ${DEMO_HELPDESK_EMAIL}`);
  log("Change the policy as the demo admin, e.g. ask every user for two recovery methods:");
  log(`  ${policyChangeCommand(workerUrl, '{"methods":{"required":2}}')}`);
}

/** One shell command: sign in as the demo admin, then PATCH the policy with that session. */
export function policyChangeCommand(workerUrl: string, patch: string): string {
  const admin = DEMO_ACCOUNTS.find((a) => a.roles.includes("global_admin"))!;
  const signIn = `curl -s ${workerUrl}/v1/sessions -H 'Content-Type: application/json' -d '${JSON.stringify({ username: admin.username, password: admin.password })}'`;
  const token = `node -pe 'JSON.parse(require("fs").readFileSync(0, "utf8")).token'`;
  return `curl -s -X PATCH ${workerUrl}/v1/admin/policy -H "Authorization: Bearer $(${signIn} | ${token})" -H 'Content-Type: application/json' -d '${patch}'`;
}

if (process.argv[1]?.endsWith("worker.ts")) {
  stopOnSignals("npm run worker");
  const options = optionsFromEnv();
  const worker = await startWorker(options).catch((e: unknown) => failAndExit("npm run worker", e));
  if (options.seed === "demo") printDemoAccounts(options.log, worker.url);
  console.log(`OpenSSPR worker ready on ${worker.url}`);
  exitWhenAChildDies("npm run worker");
}
