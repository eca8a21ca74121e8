import { type AgentPublicKey, enrollResponseSchema, type EnrollResponse, type SyncPageRequest, syncPageResponseSchema, type SyncPageResponse } from "../../shared/directory/protocol.js";
import { AgentFatalError, causeOf } from "./fatal.js";

const REQUEST_TIMEOUT_MS = 60_000;

/** The worker removed this agent (or never knew the saved credential): nothing but a new enrollment helps. */
export class AgentRemovedError extends AgentFatalError {
  constructor(stateFile: string) {
    super(`the worker no longer accepts this agent's credential (the agent was removed): delete ${stateFile}, create the agent again in the admin console and put its new enrollmentToken in the config`);
  }
}

export class WorkerUnreachableError extends Error {
  override readonly name = "WorkerUnreachableError";
}

export const endpoint = (workerUrl: string, path: string) => new URL(path.replace(/^\//, ""), workerUrl.endsWith("/") ? workerUrl : `${workerUrl}/`);

async function post(url: URL, body: unknown, credential?: string): Promise<Response> {
  try {
    return await fetch(url, {
      method: "POST",
      headers: { "content-type": "application/json", ...(credential ? { authorization: `Bearer ${credential}` } : {}) },
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
    });
  } catch (error) {
    throw new WorkerUnreachableError(`cannot reach the worker at ${url.origin} (${causeOf(error)})`);
  }
}

async function problem(response: Response): Promise<string> {
  const text = await response.text().catch(() => "");
  try {
    const body = JSON.parse(text) as { error?: { message?: string } };
    if (body.error?.message) return body.error.message;
  } catch {
    // Not the API's JSON error shape: the status says enough.
  }
  return `HTTP ${response.status}`;
}

export async function enroll(workerUrl: string, enrollmentToken: string, publicKey: AgentPublicKey, version: string): Promise<EnrollResponse> {
  let response: Response;
  try {
    response = await post(endpoint(workerUrl, "/v1/agent/enroll"), { enrollmentToken, publicKey, version });
  } catch (error) {
    throw new AgentFatalError((error as Error).message);
  }
  if (response.status === 401) throw new AgentFatalError("the worker refused config enrollmentToken (unknown, already used or expired): create the agent again in the admin console for a new token");
  if (!response.ok) throw new AgentFatalError(`enrollment failed: ${await problem(response)}`);
  const parsed = enrollResponseSchema.safeParse(await response.json().catch(() => null));
  if (!parsed.success) throw new AgentFatalError(`enrollment failed: the worker at ${workerUrl} did not answer as an OpenSSPR worker`);
  return parsed.data;
}

/** A sync page the worker answered with an error; 409 when another sync took over or the page was a repeat. */
export class SyncPageRefused extends Error {
  constructor(
    message: string,
    readonly status: number,
  ) {
    super(message);
  }
}

export async function postSyncPage(workerUrl: string, credential: string, stateFile: string, page: SyncPageRequest): Promise<SyncPageResponse> {
  const response = await post(endpoint(workerUrl, "/v1/agent/sync"), page, credential);
  if (response.status === 401) throw new AgentRemovedError(stateFile);
  if (!response.ok) throw new SyncPageRefused(`the worker refused sync page ${page.page}: ${await problem(response)}`, response.status);
  const parsed = syncPageResponseSchema.safeParse(await response.json().catch(() => null));
  if (!parsed.success) throw new Error(`the worker's answer to sync page ${page.page} is not a sync page response`);
  return parsed.data;
}
