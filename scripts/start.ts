/**
 * `npm start`: everything a person needs to try OpenSSPR locally — the worker on 127.0.0.1:8787 with
 * the demo org seeded.
 */
import { optionsFromEnv, printDemoAccounts, startWorker } from "./worker.js";

const options = optionsFromEnv();
const worker = await startWorker(options);
if (options.seed === "demo") printDemoAccounts(options.log);
console.log(`OpenSSPR worker ready on ${worker.url}`);
console.log(`Demo sign-in page: ${worker.url}/demo/login`);

const shutdown = async () => {
  await worker.stop();
  process.exit(0);
};
process.on("SIGINT", shutdown);
process.on("SIGTERM", shutdown);
