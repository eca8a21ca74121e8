import { describe, expect, it, vi } from "vitest";
import { fakeBrowser } from "wxt/testing/fake-browser";
import { saveWorkerUrl } from "../../../extension/background/settings.js";
import { signInPagesItem, workerUrlItem } from "../../../extension/storage.js";
import { fakeWorker } from "./support/fake-worker.js";

const PAGES = ["https://login.example.test/*"];

function fakePermissions() {
  const permissions = { remove: vi.fn(async () => true), contains: vi.fn(async () => true) };
  Object.assign(fakeBrowser, { permissions });
  return permissions;
}

describe("changing the worker address", () => {
  it("drops the sign-in pages allowed for the old worker, so the new one gets no password without a new grant", async () => {
    const permissions = fakePermissions();
    fakeWorker();
    await workerUrlItem.setValue("https://old-sspr.example.test");
    await signInPagesItem.setValue(PAGES);
    const saved = await saveWorkerUrl("https://sspr.example.test");
    expect(saved.ok).toBe(true);
    expect(permissions.remove).toHaveBeenCalledWith({ origins: PAGES });
    expect(await signInPagesItem.getValue()).toEqual([]);
  });

  it("keeps them when the same address is saved again", async () => {
    const permissions = fakePermissions();
    fakeWorker();
    await workerUrlItem.setValue("https://sspr.example.test");
    await signInPagesItem.setValue(PAGES);
    expect((await saveWorkerUrl("https://sspr.example.test/")).ok).toBe(true);
    expect(permissions.remove).not.toHaveBeenCalled();
    expect(await signInPagesItem.getValue()).toEqual(PAGES);
  });
});
