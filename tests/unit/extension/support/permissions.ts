import { vi } from "vitest";
import { fakeBrowser } from "wxt/testing/fake-browser";

/**
 * Host permissions as Chrome keeps them: `required` are the manifest's (an organisation's built-in
 * sign-in pages), which `remove` refuses, and refuses the whole call over, as Chrome does.
 */
export function fakeHostPermissions(o: { granted?: string[]; required?: string[]; manifestVersion?: 2 | 3 } = {}) {
  const required = o.required ?? [];
  const granted = new Set([...required, ...(o.granted ?? [])]);
  const permissions = {
    contains: vi.fn(async ({ origins = [] }: { origins?: string[] }) => origins.every((origin) => granted.has(origin))),
    getAll: vi.fn(async () => ({ permissions: ["storage", "scripting"], origins: [...granted] })),
    request: vi.fn(async ({ origins = [] }: { origins?: string[] }) => (origins.forEach((origin) => granted.add(origin)), true)),
    remove: vi.fn(async ({ origins = [] }: { origins?: string[] }) => {
      if (origins.some((origin) => required.includes(origin))) throw new Error("You cannot remove required permissions.");
      origins.forEach((origin) => granted.delete(origin));
      return true;
    }),
  };
  Object.assign(fakeBrowser, { permissions });
  // Firefox's MV2 build lists required hosts among `permissions`.
  const manifest = o.manifestVersion === 2 ? { manifest_version: 2, permissions: ["storage", "scripting", ...required] } : { manifest_version: 3, permissions: ["storage", "scripting"], host_permissions: required };
  fakeBrowser.runtime.getManifest = (() => ({ name: "OpenSSPR", version: "0.1.0", ...manifest })) as typeof fakeBrowser.runtime.getManifest;
  return { permissions, granted };
}
