/**
 * `npm start`: everything a person needs to try OpenSSPR locally — an SMTP catcher with a web inbox
 * (maildev), the worker on 127.0.0.1:8787 sending its email there, the demo org seeded, and the
 * extension built and pointed at the worker. Ctrl-C (or SIGTERM) stops all of it (scripts/processes.ts).
 */
import { existsSync } from "node:fs";
import { join } from "node:path";
import { assertPortFree } from "./ports.js";
import { exitWhenAChildDies, failAndExit, spawnChild, stopOnSignals } from "./processes.js";
import { optionsFromEnv, printDemoAccounts, startWorker } from "./worker.js";
import { ROOT } from "./wrangler.js";

const COMMAND = "npm start";
const SMTP_PORT = Number(process.env.OPENSSPR_SMTP_PORT ?? 1025);
const INBOX_PORT = Number(process.env.OPENSSPR_INBOX_PORT ?? 1080);

async function waitFor(url: string, what: string) {
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    try {
      if ((await fetch(url)).ok) return;
    } catch {
      // not up yet
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`${what} did not start on ${url}`);
}

/** OPENSSPR_EXTENSION_MODE: a WXT mode, whose build goes to its own `.output/chrome-mv3-<mode>` (the tests' runs leave your build alone). */
async function buildExtension(workerUrl: string): Promise<boolean> {
  const mode = process.env.OPENSSPR_EXTENSION_MODE;
  const build = spawnChild("the extension build (wxt build)", process.execPath, [join(ROOT, "node_modules/wxt/bin/wxt.mjs"), "build", ...(mode ? ["--mode", mode] : [])], {
    cwd: ROOT,
    env: { ...process.env, WXT_OPENSSPR_WORKER_URL: workerUrl },
  });
  return new Promise<boolean>((res) => build.once("exit", (code) => res(code === 0)));
}

async function start() {
  const options = optionsFromEnv();
  // Every port first, so a second `npm start` says which one is taken before it starts anything.
  await assertPortFree(SMTP_PORT, "the SMTP catcher", "OPENSSPR_SMTP_PORT");
  await assertPortFree(INBOX_PORT, "the inbox web page", "OPENSSPR_INBOX_PORT");
  await assertPortFree(options.port, "the worker", "OPENSSPR_PORT");

  spawnChild("the SMTP catcher (maildev)", join(ROOT, "node_modules/.bin/maildev"), ["--smtp", String(SMTP_PORT), "--ip", "127.0.0.1", "--web", String(INBOX_PORT), "--web-ip", "127.0.0.1"], { cwd: ROOT });
  await waitFor(`http://127.0.0.1:${INBOX_PORT}/api/healthz`, "maildev");

  options.vars = { EMAIL_TRANSPORT: "smtp", SMTP_HOST: "127.0.0.1", SMTP_PORT: String(SMTP_PORT), SMTP_SECURITY: "none", EMAIL_FROM: "OpenSSPR Demo <no-reply@demo.example>" };
  const worker = await startWorker(options);

  if (existsSync(join(ROOT, "wxt.config.ts"))) {
    console.log(
      (await buildExtension(worker.url))
        ? `Extension built: load ${join(ROOT, ".output/chrome-mv3")} as an unpacked extension (chrome://extensions, Developer mode).\n` +
            `  Its options page opens: click "Enable sign-in prompts", then sign in at ${worker.url}/demo/login.`
        : "Extension build failed: run `npm run build:extension` to see why.",
    );
  }

  if (options.seed === "demo") printDemoAccounts(options.log, worker.url);
  console.log(`Inbox for every email the worker sends: http://127.0.0.1:${INBOX_PORT}`);
  console.log(`Demo sign-in page: ${worker.url}/demo/login`);
  console.log(`OpenSSPR worker ready on ${worker.url}`);
  console.log("Press Ctrl-C to stop the worker and the inbox.");
  exitWhenAChildDies(COMMAND);
}

stopOnSignals(COMMAND);
await start().catch((e: unknown) => failAndExit(COMMAND, e));
