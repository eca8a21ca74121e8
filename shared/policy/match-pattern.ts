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
