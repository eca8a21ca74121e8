/**
 * `npm start`: everything a person needs to try OpenSSPR locally — an SMTP catcher with a web inbox
 * (maildev), the worker on 127.0.0.1:8787 sending its email there, the demo org seeded, and the
 * extension built and pointed at the worker.
 */
import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { optionsFromEnv, printDemoAccounts, startWorker } from "./worker.js";
import { ROOT } from "./wrangler.js";

const SMTP_PORT = Number(process.env.OPENSSPR_SMTP_PORT ?? 1025);
const INBOX_PORT = Number(process.env.OPENSSPR_INBOX_PORT ?? 1080);

function run(command: string, args: string[], env: Record<string, string> = {}) {
  return spawn(command, args, { cwd: ROOT, env: { ...process.env, ...env }, stdio: ["ignore", "pipe", "pipe"], detached: true });
}

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

const maildev = run(join(ROOT, "node_modules/.bin/maildev"), ["--smtp", String(SMTP_PORT), "--ip", "127.0.0.1", "--web", String(INBOX_PORT), "--web-ip", "127.0.0.1"]);
await waitFor(`http://127.0.0.1:${INBOX_PORT}/api/healthz`, "maildev");

const options = optionsFromEnv();
options.vars = { EMAIL_TRANSPORT: "smtp", SMTP_HOST: "127.0.0.1", SMTP_PORT: String(SMTP_PORT), SMTP_SECURITY: "none", EMAIL_FROM: "OpenSSPR Demo <no-reply@demo.example>" };
const worker = await startWorker(options);

if (existsSync(join(ROOT, "wxt.config.ts"))) {
  const build = run(process.execPath, [join(ROOT, "node_modules/wxt/bin/wxt.mjs"), "build"], { WXT_OPENSSPR_WORKER_URL: worker.url });
  const code = await new Promise<number | null>((res) => build.once("exit", res));
  console.log(
    code === 0
      ? `Extension built: load ${join(ROOT, ".output/chrome-mv3")} as an unpacked extension (chrome://extensions, Developer mode).\n` +
          `  Its options page opens: click "Enable sign-in prompts", then sign in at ${worker.url}/demo/login.`
      : "Extension build failed: run `npm run build:extension` to see why.",
  );
}

if (options.seed === "demo") printDemoAccounts(options.log);
console.log(`Inbox for every email the worker sends: http://127.0.0.1:${INBOX_PORT}`);
console.log(`Demo sign-in page: ${worker.url}/demo/login`);
console.log(`OpenSSPR worker ready on ${worker.url}`);

const shutdown = async () => {
  await worker.stop();
  try {
    process.kill(-maildev.pid!, "SIGTERM");
  } catch {
    // already gone
  }
  process.exit(0);
};
process.on("SIGINT", shutdown);
process.on("SIGTERM", shutdown);
