import { storage } from "wxt/utils/storage";

/**
 * The expiry notice is bounded like the registration prompt (spec §5): it may be put off, and it
 * never nags. The worker keeps no "Not now" count for it, so this browser remembers when it last
 * showed the notice to each user, and shows it at most once a day. Users are kept as a hash of the
 * worker and user id, so the stored list names nobody; entries older than a day are dropped.
 */
export const NOTICE_EVERY_MS = 86_400_000;

const shownItem = storage.defineItem<Record<string, number>>("local:expiryNoticesShown", { fallback: {} });

async function keyOf(baseUrl: string, userId: string): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(`${baseUrl}\n${userId}`));
  return [...new Uint8Array(digest).slice(0, 16)].map((b) => b.toString(16).padStart(2, "0")).join("");
}

export async function noticeAllowed(baseUrl: string, userId: string, now: number): Promise<boolean> {
  const shown = (await shownItem.getValue())[await keyOf(baseUrl, userId)];
  return shown === undefined || now - shown >= NOTICE_EVERY_MS;
}

export async function noteNoticeShown(baseUrl: string, userId: string, now: number): Promise<void> {
  const key = await keyOf(baseUrl, userId);
  const recent = Object.entries(await shownItem.getValue()).filter(([, at]) => now - at < NOTICE_EVERY_MS);
  await shownItem.setValue({ ...Object.fromEntries(recent), [key]: now });
}
