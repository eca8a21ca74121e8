import { isMatchPattern } from "../../shared/policy/match-pattern.js";

const escape = (s: string) => s.replace(/[.+?^${}()|[\]\\]/g, "\\$&");

/**
 * Whether `url` is one of the pages `pattern` names, as Chrome matches them: scheme `*` is http or
 * https, host `*.domain` includes the domain itself, a pattern without a port matches any port, and
 * `*` in the path matches anything (query included).
 */
export function matchesPattern(url: string, pattern: string): boolean {
  if (!isMatchPattern(pattern)) return false;
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return false;
  }
  const scheme = u.protocol.slice(0, -1);
  if (pattern === "<all_urls>") return ["http", "https", "ftp", "file"].includes(scheme);
  const m = /^([^:]+):\/\/([^/]*)(\/.*)$/.exec(pattern);
  if (!m) return false;
  const [, pScheme, pAuthority, pPath] = m as unknown as [string, string, string, string];
  if (pScheme === "*" ? scheme !== "http" && scheme !== "https" : pScheme !== scheme) return false;
  if (pScheme !== "file") {
    const [pHost, pPort] = pAuthority.toLowerCase().split(":") as [string, string | undefined];
    const host = u.hostname.toLowerCase();
    if (pHost !== "*" && (pHost.startsWith("*.") ? host !== pHost.slice(2) && !host.endsWith(pHost.slice(1)) : host !== pHost)) return false;
    const port = u.port || (scheme === "https" ? "443" : scheme === "http" ? "80" : "");
    if (pPort !== undefined && pPort !== "*" && pPort !== port) return false;
  }
  return new RegExp(`^${pPath.split("*").map(escape).join(".*")}$`).test(u.pathname + u.search);
}
