import { browser } from "wxt/browser";
import type { PublicConfig } from "../../shared/api/config.js";
import { fail, ok, type ApiResult } from "../api-client.js";
import { readManagedConfig } from "../managed-config.js";
import type { Settings } from "../messaging.js";
import { fetchPublicConfig } from "../resets-api.js";
import { signInPagesItem, workerUrlItem } from "../storage.js";
import { normaliseWorkerUrl, originPattern } from "../worker-url.js";

/** The worker address built into this extension, if any. */
const bakedWorkerUrl = () => normaliseWorkerUrl(import.meta.env.WXT_OPENSSPR_WORKER_URL ?? "");

/** Managed storage first (the admin's word), then what the user saved, then the build's default. */
export async function resolveSettings(): Promise<Settings> {
  const managed = await readManagedConfig();
  const managedOrgName = managed.orgName ?? null;
  // A managed address that is not usable (http to another host, a typo) still locks the setting: the
  // admin meant to choose, and a user must not be able to point the extension elsewhere meanwhile.
  if (managed.workerUrl) return { workerUrl: normaliseWorkerUrl(managed.workerUrl), source: "managed", managedOrgName };
  const saved = await workerUrlItem.getValue();
  if (saved) return { workerUrl: saved, source: "user", managedOrgName };
  const baked = bakedWorkerUrl();
  return { workerUrl: baked, source: baked ? "build" : null, managedOrgName };
}

/** The base URL every API call goes to, or the error that sends the user to the options page. */
export async function workerBaseUrl(): Promise<ApiResult<string>> {
  const { workerUrl } = await resolveSettings();
  if (!workerUrl) return fail("not_configured", "no worker URL configured");
  // Firefox can't use CORS for us (random extension origin): without access granted on the options
  // page every call would fail as "network", so send the user there instead.
  if (import.meta.env.FIREFOX && !(await browser.permissions.contains({ origins: [originPattern(workerUrl)] }))) {
    return fail("not_configured", "Firefox needs access to the worker's origin");
  }
  return ok(workerUrl);
}

/** Saves a user-entered URL only once its /v1/config answers per the contract, so a typo can't stick. */
export async function saveWorkerUrl(input: string): Promise<ApiResult<{ workerUrl: string; config: PublicConfig }>> {
  const current = await resolveSettings();
  if (current.source === "managed") return fail("forbidden", "the worker URL is set by your organisation's policy");
  const workerUrl = normaliseWorkerUrl(input);
  if (!workerUrl) return fail("invalid_url", "not an https URL (http only on this computer)");
  const changes = !!current.workerUrl && current.workerUrl !== workerUrl;
  // Sign-in pages built into the extension are granted for good (required permissions cannot be
  // removed): they belong to the worker built in with them, and another address would get their passwords.
  if (builtInSignInPages().length > 0 && workerUrl !== bakedWorkerUrl()) {
    return fail("forbidden", "this build's sign-in pages belong to its own worker");
  }
  const config = await fetchPublicConfig(workerUrl);
  if (!config.ok) return config;
  if (changes) await forgetSignInPages(originPattern(workerUrl));
  await workerUrlItem.setValue(workerUrl);
  return ok({ workerUrl, config: config.value });
}

/** Host permissions the manifest requires: the sign-in pages an organisation built in (MV2 lists them among `permissions`). */
function builtInSignInPages(): string[] {
  const manifest = browser.runtime.getManifest();
  return [...(manifest.host_permissions ?? []), ...(manifest.permissions ?? []).filter((p) => typeof p === "string" && p.includes("://"))] as string[];
}

/**
 * A new worker must not inherit the sign-in pages the user allowed for the old one: a phished "new
 * address" whose policy lists the same pages would otherwise receive passwords without a new
 * permission dialog. Every granted page goes, those of earlier policies too, each on its own (a
 * browser refuses a whole removal over one origin it cannot remove); `keep` is the new worker's own
 * origin, which Firefox asked for just before. The user enables prompts again, for the new worker's
 * pages, on the options page.
 */
async function forgetSignInPages(keep: string): Promise<void> {
  const required = new Set(builtInSignInPages());
  const { origins = [] } = await browser.permissions.getAll();
  await Promise.all(origins.filter((origin) => origin !== keep && !required.has(origin)).map((origin) => browser.permissions.remove({ origins: [origin] }).catch(() => false)));
  await signInPagesItem.setValue([]);
}

export async function fetchConfig(): Promise<ApiResult<PublicConfig>> {
  const base = await workerBaseUrl();
  return base.ok ? fetchPublicConfig(base.value) : base;
}
