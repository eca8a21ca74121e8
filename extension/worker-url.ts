/**
 * What an admin or user typed as the worker's address, made into the base URL API paths are appended
 * to. Plain http is accepted only on loopback (local development): anywhere else the reset token and
 * the new password would cross the network in clear text.
 */
const LOOPBACK = new Set(["127.0.0.1", "localhost", "[::1]"]);

export function normaliseWorkerUrl(input: string): string | null {
  const trimmed = input.trim();
  if (!trimmed) return null;
  const withScheme = /^[a-z][a-z0-9+.-]*:\/\//i.test(trimmed) ? trimmed : `https://${trimmed}`;
  let url: URL;
  try {
    url = new URL(withScheme);
  } catch {
    return null;
  }
  const secure = url.protocol === "https:" || (url.protocol === "http:" && LOOPBACK.has(url.hostname));
  if (!secure || url.username || url.password || url.search || url.hash) return null;
  return `${url.origin}${url.pathname.replace(/\/+$/, "")}`;
}

/** The origin pattern Firefox needs host permission for (its extension origin can't be listed for CORS). */
export const originPattern = (baseUrl: string): string => `${new URL(baseUrl).origin}/*`;
