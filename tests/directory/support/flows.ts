import { expect } from "vitest";
import { api, nextCode, seenCodes } from "../../e2e/support/api.js";
import type { DirectoryStack } from "./stack.js";

export interface WorkerUser {
  id: string;
  username: string;
  source: string;
  roles: string[];
  groups: string[];
  disabled: boolean;
  passwordExpiresAt: string | null;
  passwordNeverExpires: boolean;
  registration: { methods: { id: string; type: string; hint: string }[] };
}

/** The worker's copy of a directory user, found as an admin would: by searching the display name. */
export async function workerUser(stack: DirectoryStack, displayName: string): Promise<WorkerUser> {
  const res = await api<{ users: WorkerUser[] }>(stack.worker.url, "GET", `/v1/admin/users?q=${encodeURIComponent(displayName)}`, undefined, stack.adminToken);
  expect(res.status).toBe(200);
  const found = res.body.users.filter((u) => u.source === "directory");
  expect(found, `one directory user named ${displayName}`).toHaveLength(1);
  return found[0]!;
}

interface Reset {
  resetId: string;
  resetToken: string;
  status: string;
  methods: { id: string; type: string }[];
}

/** A reset verified with the emailed code, ready for its new password. */
export async function verifiedReset(stack: DirectoryStack, username: string, email: string): Promise<Reset> {
  const base = stack.worker.url;
  const seen = await seenCodes(base, email);
  const started = await api<Reset>(base, "POST", "/v1/resets", { username });
  expect(started.status, JSON.stringify(started.body)).toBe(201);
  const reset = started.body;
  const method = reset.methods.find((m) => m.type === "email");
  expect(method, "an email method seeded from the directory").toBeDefined();
  const challenge = await api(base, "POST", `/v1/resets/${reset.resetId}/challenges`, { methodId: method!.id }, reset.resetToken);
  expect(challenge.status).toBe(202);
  const code = await nextCode(base, email, seen);
  const verified = await api<Reset>(base, "POST", `/v1/resets/${reset.resetId}/verify`, { methodId: method!.id, code }, reset.resetToken);
  expect(verified.status).toBe(200);
  expect(verified.body.status).toBe("verified");
  return reset;
}

export const setResetPassword = (stack: DirectoryStack, reset: Reset, newPassword: string) =>
  api<{ status?: string; error?: { code: string; message: string; details?: { rule?: string; message?: string }[] } }>(
    stack.worker.url,
    "POST",
    `/v1/resets/${reset.resetId}/password`,
    { newPassword },
    reset.resetToken,
  );
