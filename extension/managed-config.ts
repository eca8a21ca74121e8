import { z } from "zod";
import { browser } from "wxt/browser";

/**
 * What an administrator pushed through enterprise policy (chrome.storage.managed, described by
 * public/managed_schema.json). It wins over anything a user typed, so a phishing page can't talk a
 * user into pointing the extension at another worker.
 */
const managedSchema = z.object({
  workerUrl: z.string().min(1).optional().catch(undefined),
  orgName: z.string().min(1).max(100).optional().catch(undefined),
});
export type ManagedConfig = z.infer<typeof managedSchema>;

export async function readManagedConfig(): Promise<ManagedConfig> {
  try {
    // Firefox rejects when no policy manifest exists, and a build without managed_schema may too.
    const raw = await browser.storage.managed.get(["workerUrl", "orgName"]);
    return managedSchema.parse(raw ?? {});
  } catch {
    return {};
  }
}
