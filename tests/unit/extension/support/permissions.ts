import { vi } from "vitest";
import { fakeBrowser } from "wxt/testing/fake-browser";

/**
 * Host permissions as Chrome keeps them: `required` are the manifest's (an organisation's built-in
 * sign-in pages), which `remove` refuses, and refuses the whole call over, as Chrome does.
 */
export function fakeHostPermissions(o: { granted?: string[]; required?: string[] } = {}) {
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
  fakeBrowser.runtime.getManifest = (() => ({ manifest_version: 3, name: "OpenSSPR", version: "0.1.0", host_permissions: required })) as typeof fakeBrowser.runtime.getManifest;
  return { permissions, granted };
}
