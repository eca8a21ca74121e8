/**
 * Chrome match-pattern syntax (developer.chrome.com/docs/extensions/develop/concepts/match-patterns):
 * `<all_urls>` or `scheme://host[:port]/path`, scheme `*`, http(s), file or ftp; host `*`, `*.domain`
 * or a plain host. The extension registers content scripts with these, so an invalid one would make
 * `chrome.scripting.registerContentScripts` reject the whole list.
 */
const PATTERN =
  /^(?:<all_urls>|(?:\*|https?|ftp):\/\/(?:\*|\*\.[^*/:\s]+|[^*/:\s]+)(?::(?:\*|\d{1,5}))?\/\S*|file:\/\/\/\S*)$/;

export function isMatchPattern(value: string): boolean {
  return value.length <= 2048 && PATTERN.test(value);
}

/**
 * Whether a pattern reaches every website: `<all_urls>`, host `*` (whatever the scheme, port or
 * path), or a whole top-level domain (`*.com`). A sign-in page pattern decides which pages' typed
 * passwords the extension sends to the worker, so such a pattern would send it every password the
 * user types anywhere (issue 11, item 13). `*.co.uk`-style public suffixes would need the public
 * suffix list and are not caught here.
 */
export function matchesEveryHost(pattern: string): boolean {
  if (pattern === "<all_urls>") return true;
  const written = /^[^:/]+:\/\/([^/:]*)/.exec(pattern)?.[1];
  if (written === undefined || pattern.startsWith("file:")) return false;
  // As Chrome reads it before matching: lower case, without a trailing dot (`*.com.` is `*.com`).
  const host = written.toLowerCase().replace(/\.$/, "");
  return host === "*" || (host.startsWith("*.") && !host.slice(2).includes("."));
}

export const EVERY_HOST_MESSAGE = "Matches every website: name the sign-in pages' own hosts.";

/** A pattern fit for `signInPages`: valid, and not one that reaches every website. */
export const isSignInPagePattern = (value: string): boolean => isMatchPattern(value) && !matchesEveryHost(value);
