import type { webcrypto } from "node:crypto";
import { cancelMessageSchema, type FromAgentMessage, type Job, type JobResult, toAgentMessageSchema } from "../../shared/directory/protocol.js";
import { causeOf } from "./fatal.js";
import { failure } from "./ldap/errors.js";
import type { DirectoryOperations } from "./ldap/operations.js";
import { log } from "./log.js";
import { openSealedSecret, SealedSecretError } from "./sealed.js";

export interface JobDeps {
  operations: Pick<DirectoryOperations, "bind" | "setPassword" | "unlock">;
  privateKey: webcrypto.CryptoKey;
  requestSync: () => void;
  /** Jobs the worker stopped waiting for; absent: none are ever cancelled. */
  cancellations?: Cancellations;
}

/** The ids of jobs the worker cancelled (cancelMessageSchema), the most recent ones only. */
export class Cancellations {
  private readonly ids = new Set<string>();

  constructor(private readonly keep = 1000) {}

  add(id: string): void {
    this.ids.add(id);
    if (this.ids.size > this.keep) this.ids.delete(this.ids.values().next().value!);
  }

  has(id: string): boolean {
    return this.ids.has(id);
  }
}

async function run(id: string, job: Job, deps: JobDeps): Promise<JobResult> {
  const open = (sealed: string) => openSealedSecret(deps.privateKey, sealed, id);
  switch (job.kind) {
    case "bind":
      return deps.operations.bind(job.user, await open(job.sealedSecret));
    case "set_password": {
      const password = await open(job.sealedSecret);
      const current = job.sealedCurrent === undefined ? undefined : await open(job.sealedCurrent);
      return deps.operations.setPassword(job.user, job.mode, password, current, job.mustChange, () => !deps.cancellations?.has(id));
    }
    case "unlock":
      return deps.operations.unlock(job.user);
    case "sync":
      // Answered at once; the sync's pages follow over HTTPS.
      deps.requestSync();
      return { ok: true };
  }
}

/** One job message from the worker → its result; only the kind and outcome are logged. */
export async function handleJobMessage(text: string, deps: JobDeps): Promise<FromAgentMessage | null> {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = null;
  }
  const cancel = cancelMessageSchema.safeParse(json);
  if (cancel.success) {
    deps.cancellations?.add(cancel.data.id);
    return null;
  }
  const parsed = toAgentMessageSchema.safeParse(json);
  if (!parsed.success) {
    log("ignored a message from the worker that is not a job");
    return null;
  }
  const { id, job } = parsed.data;
  const started = Date.now();
  let result: JobResult;
  try {
    result = await run(id, job, deps);
  } catch (error) {
    result = error instanceof SealedSecretError ? failure("error", error.message) : failure("error", `the directory could not be reached (${causeOf(error)})`);
  }
  const detail = job.kind === "set_password" ? `set_password/${job.mode}` : job.kind;
  log(`job ${detail}: ${result.ok ? "ok" : result.reason} (${Date.now() - started} ms)`);
  return { type: "result", id, result };
}
