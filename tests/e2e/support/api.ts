import { createHmac } from "node:crypto";
import { decodeBase32IgnorePadding } from "@oslojs/encoding";

/** Calls the worker the way another app of the organisation would (api.md), failing loudly on surprises. */
export async function api<T>(base: string, method: string, path: string, body?: unknown, token?: string): Promise<{ status: number; body: T }> {
  const headers: Record<string, string> = {};
  if (body !== undefined) headers["Content-Type"] = "application/json";
  if (token) headers.Authorization = `Bearer ${token}`;
  const res = await fetch(`${base}${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  const text = await res.text();
  return { status: res.status, body: (text ? JSON.parse(text) : null) as T };
}

export async function signIn(base: string, username: string, password: string): Promise<string> {
  const res = await api<{ token: string }>(base, "POST", "/v1/sessions", { username, password });
  if (res.status !== 201) throw new Error(`sign-in as ${username}: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body.token;
}

interface OutboxMessage {
  id: string;
  to: string;
  code: string | null;
  sentAt: string;
}

/** The newest code sent to `to` that is not one of `seen`, waiting briefly for delivery. */
export async function nextCode(base: string, to: string, seen: Set<string>): Promise<string> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const res = await api<{ messages: OutboxMessage[] }>(base, "GET", `/v1/dev/outbox?to=${encodeURIComponent(to)}`);
    const fresh = res.body.messages.find((m) => m.code && !seen.has(m.id));
    if (fresh?.code) {
      seen.add(fresh.id);
      return fresh.code;
    }
    if (Date.now() > deadline) throw new Error(`no new code for ${to} in the outbox: ${JSON.stringify(res.body)}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** Marks every message already in the outbox for `to` as seen, so nextCode only returns new ones. */
export async function seenCodes(base: string, to: string): Promise<Set<string>> {
  const res = await api<{ messages: OutboxMessage[] }>(base, "GET", `/v1/dev/outbox?to=${encodeURIComponent(to)}`);
  return new Set(res.status === 200 ? res.body.messages.map((m) => m.id) : []);
}

/** RFC 6238 (SHA-1, 6 digits, 30 s) for a given step: what the user's authenticator app would show. */
export function totpAt(secretBase32: string, step: number): string {
  const counter = Buffer.alloc(8);
  counter.writeBigUInt64BE(BigInt(step));
  const mac = createHmac("sha1", decodeBase32IgnorePadding(secretBase32)).update(counter).digest();
  const offset = mac[mac.length - 1]! & 0x0f;
  const value = (mac.readUInt32BE(offset) & 0x7fffffff) % 1_000_000;
  return value.toString().padStart(6, "0");
}

export const currentStep = (now = Date.now()): number => Math.floor(now / 30_000);
