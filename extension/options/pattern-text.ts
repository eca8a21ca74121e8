import { t } from "../i18n.js";

/**
 * A sign-in page's Chrome match pattern (shared/policy/match-pattern.ts) as a person reads it:
 * `https://login.example.com/sso/*` → "login.example.com/sso/", `*://*.example.com/*` → "example.com
 * and its subdomains". The web schemes and the trailing `*` are left off (the options page keeps the
 * full pattern in a tooltip); anything unexpected shows as it is. Patterns that match every website
 * never get here: the background leaves them out (shared/policy/match-pattern.ts).
 */
export function patternText(pattern: string): string {
  const file = /^file:\/\/(\/.*)$/.exec(pattern);
  if (file) {
    const path = stripStar(file[1]!);
    return path === "/" ? t("accessPatternFiles") : t("accessPatternOnComputer", path);
  }
  const web = /^(\*|https?|ftp):\/\/([^/:]+)(?::(\*|\d+))?(\/.*)$/.exec(pattern);
  if (!web) return pattern;
  const [, scheme, host, port, rawPath] = web as unknown as [string, string, string, string | undefined, string];
  const path = stripStar(rawPath);
  // `/*` is the whole site; anything else is a part of it, shown as a path.
  const part = path === "/" && rawPath !== "/" ? "" : path;
  const prefix = scheme === "ftp" ? "ftp://" : "";
  const withPort = (name: string) => (port && port !== "*" ? `${name}:${port}` : name);

  let text: string;
  if (host.startsWith("*.")) {
    const site = t("accessPatternSubdomains", prefix + withPort(host.slice(2)));
    text = part ? t("accessPatternPathOn", part, site) : site;
  } else {
    text = prefix + withPort(host) + part;
  }
  return port === "*" ? t("accessPatternAnyPort", text) : text;
}

/** The one `*` a pattern usually ends with ("/demo/*" → "/demo/"); inner wildcards stay. */
const stripStar = (path: string): string => (path.length > 1 && path.endsWith("*") ? path.slice(0, -1) : path);
